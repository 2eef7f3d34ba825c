import { test } from "node:test";
import assert from "node:assert/strict";
import {
  actOnQueuedPost,
  buildCommunity,
  buildReply,
  buildTopic,
  describeEachDatabase,
  type TestUser,
} from "../helpers.ts";
import { assertTotalsMatchLedger, totals } from "../reputation/support.ts";

/**
 * A hidden or deleted reply takes no comments or edits from those who may not see it, as for votes
 * and history; a deleted one is no longer its topic's solution.
 */
describeEachDatabase("removed replies", (env) => {
  const comment = (replyId: number, user: TestUser) =>
    env().api.post(`/api/v1/replies/${replyId}/comments`, { body: "A comment on this reply" }, user.auth);

  /** A member flags the reply and an admin deletes it from the review queue. */
  async function deleteThroughQueue(slug: string, admin: TestUser, replyId: number, flagger: TestUser) {
    const flagged = await env().api.post(`/api/v1/posts/reply/${replyId}/flags`, { reason: "spam" }, flagger.auth);
    assert.equal(flagged.status, 201);
    await actOnQueuedPost(env(), slug, admin, replyId, "delete", { type: "reply" });
  }

  test("a hidden reply: 404 for other members, its author and reviewers still reach it", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, helper, other] = members.member;
    const [moderator] = members.moderator;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper, "Buy cheap watches at example.com");
    const hidden = await env().api.post(`/api/v1/posts/reply/${reply.id}/hide`, { reason: "Spam" }, moderator.auth);
    assert.equal(hidden.status, 200);
    assert.equal((await env().api.put(`/api/v1/replies/${reply.id}/vote`, { value: 1 }, other.auth)).status, 404);
    const refused = await comment(reply.id, other);
    assert.equal(refused.status, 404);
    assert.equal(refused.body.error.code, "not_found");
    assert.equal((await comment(reply.id, helper)).status, 201, "its author still sees it");
    assert.equal((await comment(reply.id, moderator)).status, 201, "reviewers see it");
  });

  test("a hidden reply's edit page and the comments under it are unknown to whoever cannot see it", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, helper, champion] = members.member;
    const [moderator] = members.moderator;
    // A champion may edit others' replies (reply.edit) but does not review hidden ones (review.queue).
    const made = await env().api.put(
      `/api/v1/communities/${slug}/members/${champion.id}/champion`,
      { champion: true },
      admin.auth,
    );
    assert.equal(made.status, 200);
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper, "Text the moderators hid from view");
    const remark = await comment(reply.id, asker);
    assert.equal(remark.status, 201);
    const editPage = (user: TestUser) =>
      env().app.inject({ method: "GET", url: `/c/${slug}/r/${reply.id}/edit`, headers: { cookie: user.cookie } });
    assert.equal((await editPage(champion)).statusCode, 200, "before it is hidden, the champion may edit it");
    await env().api.post(`/api/v1/posts/reply/${reply.id}/hide`, { reason: "Spam" }, moderator.auth);

    const page = await editPage(champion);
    assert.equal(page.statusCode, 404);
    assert.doesNotMatch(page.body, /moderators hid/);
    assert.equal((await editPage(moderator)).statusCode, 200, "reviewers still reach it");
    const flag = await env().api.post(
      `/api/v1/posts/comment/${remark.body.comment.id}/flags`,
      { reason: "spam" },
      champion.auth,
    );
    assert.equal(flag.status, 404, "the comment under the hidden reply cannot be flagged");
    const flags = env()
      .deps.db.selectFrom("postFlags")
      .select("id")
      .where("targetType", "=", "comment")
      .where("targetId", "=", remark.body.comment.id);
    assert.deepEqual(await flags.execute(), []);
  });

  test("a deleted reply: no comment and no edit from anyone, its text unchanged", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, helper, other] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper, "Spammy text to be deleted");
    await deleteThroughQueue(slug, admin, reply.id, other);
    const revisions = () =>
      env()
        .deps.db.selectFrom("revisions")
        .select("body")
        .where("targetType", "=", "reply")
        .where("targetId", "=", reply.id)
        .execute();
    const before = await revisions();
    for (const user of [other, helper, asker]) assert.equal((await comment(reply.id, user)).status, 404);
    const edit = await env().api.patch(`/api/v1/replies/${reply.id}`, { body: "Edited after deletion" }, helper.auth);
    assert.equal(edit.status, 404);
    const row = await env()
      .deps.db.selectFrom("replies")
      .select("body")
      .where("id", "=", reply.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.body, "Spammy text to be deleted");
    assert.deepEqual(await revisions(), before);
  });

  test("a deleted accepted reply is no longer the solution: the topic is open, its kudos gone", async () => {
    const { slug, community, admin, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, helper, other] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper, "The accepted answer");
    const accepted = await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth);
    assert.equal(accepted.status, 200);
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 15);
    await deleteThroughQueue(slug, admin, reply.id, other);
    const after = await env().api.get(`/api/v1/topics/${topic.id}`);
    assert.equal(after.body.topic.status, "open");
    assert.equal(after.body.topic.acceptedReplyId, null);
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 0);
    const list = await env().api.get(`/api/v1/communities/${slug}/topics?status=solved`);
    assert.equal(list.body.topics.length, 0);
    await assertTotalsMatchLedger(env(), community.id);
  });
});
