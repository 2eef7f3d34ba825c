import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import {
  actOnQueuedPost,
  buildCommunity,
  buildReply,
  buildTopic,
  describeEachDatabase,
  type TestUser,
} from "../helpers.ts";
import { assertTotalsMatchLedger, totals } from "../reputation/support.ts";
import { fetchPath, jsonLdOf, ofType } from "../seo/support.ts";
import { sqliteBefore } from "../db/migration-support.ts";

/**
 * A hidden accepted reply is no solution while nobody can read it: the topic is not solved for
 * anyone (status, the "solved" list, the QAPage), and the acceptance's kudos go back, as for a
 * deleted one. Restored, it is the solution again, unless another reply was accepted meanwhile.
 */
describeEachDatabase("a hidden solution", (env) => {
  const hide = (replyId: number, moderator: TestUser) =>
    env().api.post(`/api/v1/posts/reply/${replyId}/hide`, { reason: "Advertising" }, moderator.auth);
  const restore = (replyId: number, moderator: TestUser) =>
    env().api.post(`/api/v1/posts/reply/${replyId}/restore`, {}, moderator.auth);
  const accept = (topicId: number, replyId: number, asker: TestUser) =>
    env().api.post(`/api/v1/topics/${topicId}/accept`, { replyId }, asker.auth);
  const topicOf = async (topicId: number, user?: TestUser) =>
    (await env().api.get(`/api/v1/topics/${topicId}`, user?.auth ?? null)).body.topic;
  const listed = async (slug: string, status: string) =>
    (await env().api.get(`/api/v1/communities/${slug}/topics?status=${status}`)).body.topics.map(
      (t: { id: number }) => t.id,
    );

  test("hidden, the accepted reply no longer solves its topic; restored, it does again", async () => {
    const { slug, community, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, helper, other] = members.member;
    const [moderator] = members.moderator;
    const topic = await buildTopic(env(), slug, asker, { title: "Router keeps blinking red" });
    const reply = await buildReply(env(), topic.id, helper, "Hold the reset button for ten seconds.");
    await buildReply(env(), topic.id, other, "Call the hotline.");
    assert.equal((await accept(topic.id, reply.id, asker)).status, 200);
    assert.equal((await topicOf(topic.id)).status, "solved");
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 15);

    const hidden = await hide(reply.id, moderator);
    assert.equal(hidden.status, 200, JSON.stringify(hidden.body));
    assert.equal(hidden.body.state, "hidden");
    for (const viewer of [undefined, asker, moderator]) {
      const now = await topicOf(topic.id, viewer);
      assert.equal(now.status, "answered", "not solved, for anyone");
      assert.equal(now.acceptedReplyId, null);
    }
    assert.deepEqual(await listed(slug, "solved"), []);
    assert.deepEqual(await listed(slug, "answered"), [topic.id]);
    const unsolved = ofType(jsonLdOf((await fetchPath(env(), topic.url)).body), "QAPage").mainEntity;
    assert.equal(unsolved.acceptedAnswer, undefined, "no acceptedAnswer for search engines");
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 0, "the acceptance's kudos go back");

    const restored = await restore(reply.id, moderator);
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    assert.equal(restored.body.state, "visible");
    const now = await topicOf(topic.id);
    assert.equal(now.status, "solved");
    assert.equal(now.acceptedReplyId, reply.id);
    assert.deepEqual(await listed(slug, "solved"), [topic.id]);
    const solved = ofType(jsonLdOf((await fetchPath(env(), topic.url)).body), "QAPage").mainEntity;
    assert.equal(solved.acceptedAnswer.text, "Hold the reset button for ten seconds.");
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 15, "earned again, once");
    await assertTotalsMatchLedger(env(), community.id);
  });

  test("restored after the asker accepted another reply meanwhile, the reply stays unaccepted", async () => {
    const { slug, community, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, helper, other] = members.member;
    const [moderator] = members.moderator;
    const topic = await buildTopic(env(), slug, asker, { title: "TV box keeps rebooting" });
    const first = await buildReply(env(), topic.id, helper, "Unplug it for a minute.");
    const second = await buildReply(env(), topic.id, other, "Update its firmware.");
    assert.equal((await accept(topic.id, first.id, asker)).status, 200);
    assert.equal((await hide(first.id, moderator)).status, 200);
    assert.equal((await topicOf(topic.id)).status, "answered");

    assert.equal((await accept(topic.id, second.id, asker)).status, 200);
    assert.equal((await restore(first.id, moderator)).status, 200);
    const now = await topicOf(topic.id);
    assert.equal(now.status, "solved");
    assert.equal(now.acceptedReplyId, second.id, "the asker's later choice stands");
    assert.deepEqual(await listed(slug, "solved"), [topic.id]);
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 0);
    assert.equal((await totals(env(), community.id, other.id)).kudos, 15);

    // Hidden and restored again, the first reply is not brought back as the solution later.
    assert.equal((await hide(second.id, moderator)).status, 200);
    assert.equal((await topicOf(topic.id)).acceptedReplyId, null);
    assert.equal((await restore(second.id, moderator)).status, 200);
    assert.equal((await topicOf(topic.id)).acceptedReplyId, second.id);
    await assertTotalsMatchLedger(env(), community.id);
  });

  test("the asker's choice made while the solution is hidden stands: withdrawn, it is not brought back", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, helper, other] = members.member;
    const [moderator] = members.moderator;
    const topic = await buildTopic(env(), slug, asker, { title: "Landline crackles when it rains" });
    const first = await buildReply(env(), topic.id, helper, "Check the outdoor junction box.");
    const second = await buildReply(env(), topic.id, other, "Try another handset.");
    assert.equal((await accept(topic.id, first.id, asker)).status, 200);
    assert.equal((await hide(first.id, moderator)).status, 200);
    assert.equal((await accept(topic.id, second.id, asker)).status, 200);
    assert.equal((await env().api.delete(`/api/v1/topics/${topic.id}/accept`, asker.auth)).status, 200);
    assert.equal((await restore(first.id, moderator)).status, 200);
    const now = await topicOf(topic.id);
    assert.equal(now.acceptedReplyId, null, "the asker withdrew the solution after the hide");
    assert.equal(now.status, "answered");
  });

  test("hidden by flags, the solution is withdrawn too: the topic may be escalated, and a delete ends it", async () => {
    const { slug, community, admin, members } = await buildCommunity(env(), {
      members: { member: 2, moderator: 1, staff: 1 },
    });
    const [asker, helper] = members.member;
    const [moderator] = members.moderator;
    const [staff] = members.staff;
    const settings = await env().api.patch(
      `/api/v1/communities/${slug}/settings/moderation`,
      { flagsToHide: 1 },
      admin.auth,
    );
    assert.equal(settings.status, 200, JSON.stringify(settings.body));
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    assert.equal((await accept(topic.id, reply.id, asker)).status, 200);
    const escalate = () => env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth);
    assert.equal((await escalate()).status, 409, "a solved topic is not escalated");

    const flag = await env().api.post(`/api/v1/posts/reply/${reply.id}/flags`, { reason: "spam" }, moderator.auth);
    assert.equal(flag.status, 201, JSON.stringify(flag.body));
    assert.equal(flag.body.hidden, true, "one trusted flag hides it");
    assert.equal((await topicOf(topic.id)).acceptedReplyId, null);
    assert.equal((await escalate()).status, 200, "with its solution hidden, it is unsolved");
    assert.equal((await topicOf(topic.id)).status, "escalated");

    await actOnQueuedPost(env(), slug, admin, reply.id, "delete");
    const row = await env()
      .deps.db.selectFrom("topics")
      .select(["acceptedReplyId", "hiddenSolutionId"])
      .where("id", "=", topic.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { acceptedReplyId: null, hiddenSolutionId: null }, "nothing left to bring back");
    assert.equal((await totals(env(), community.id, helper.id)).kudos, 0);
    await assertTotalsMatchLedger(env(), community.id);
  });
});

test("migration 035 withdraws the solutions hidden before it, remembering them for a restore", async () => {
  const { db, row, migrateRest } = await sqliteBefore("035_hidden_solutions");
  for (const id of [7, 8]) row("users", { id, email: `u${id}@example.test`, handle: `u${id}` });
  row("communities", { id: 1, slug: "c" });
  for (const id of [2, 3]) row("topics", { id, community_id: 1, author_id: 8, created_at: 500 });
  row("replies", { id: 10, topic_id: 2, author_id: 7, created_at: 600, moderation_state: "hidden" });
  row("replies", { id: 11, topic_id: 3, author_id: 7, created_at: 600 });
  await sql`update topics set accepted_reply_id = case id when 2 then 10 else 11 end`.execute(db);
  const all = await migrateRest();
  assert.equal(all.error, undefined, String(all.error));
  const rows = await sql<{ id: number; accepted_reply_id: number | null; hidden_solution_id: number | null }>`
    select id, accepted_reply_id, hidden_solution_id from topics order by id`.execute(db);
  assert.deepEqual(rows.rows, [
    { id: 2, accepted_reply_id: null, hidden_solution_id: 10 },
    { id: 3, accepted_reply_id: 11, hidden_solution_id: null },
  ]);
  await db.destroy();
});
