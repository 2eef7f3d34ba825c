import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  describeEachDatabase,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { setKudos, totals } from "../reputation/support.ts";

const flag = (env: TestEnv, type: string, id: number, user: TestUser, body: unknown = { reason: "spam" }) =>
  env.api.post(`/api/v1/posts/${type}/${id}/flags`, body, user.auth);

async function trustedMembers(env: TestEnv, communityId: number, count: number): Promise<TestUser[]> {
  const users: TestUser[] = [];
  for (let i = 0; i < count; i++) {
    const user = await buildUser(env);
    await env.deps.db
      .insertInto("memberships")
      .values({ communityId, userId: user.id, role: "member", createdAt: env.clock.now() })
      .execute();
    await setKudos(env, communityId, user.id, 100);
    users.push(user);
  }
  return users;
}

describeEachDatabase("flags and the review queue", (env) => {
  test("flags: reasons and text, never one's own post, once per member, bad input refused", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [author, flagger] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const created = await flag(env(), "topic", topic.id, flagger, { reason: "off_topic", text: "Belongs in TV" });
    assert.equal(created.status, 201);
    assert.deepEqual(
      {
        reason: created.body.flag.reason,
        text: created.body.flag.text,
        trusted: created.body.flag.trusted,
        hidden: created.body.hidden,
      },
      { reason: "off_topic", text: "Belongs in TV", trusted: false, hidden: false },
    );
    assert.equal((await flag(env(), "topic", topic.id, flagger)).status, 409, "once per member");
    assert.equal((await flag(env(), "topic", topic.id, author)).status, 403, "not one's own");
    for (const body of [{ reason: "boring" }, { reason: "other" }, { reason: "other", text: "   " }, {}])
      assert.equal((await flag(env(), "topic", topic.id, flagger, body)).status, 422, JSON.stringify(body));
    assert.equal((await flag(env(), "message", topic.id, flagger)).status, 422);
    assert.equal((await flag(env(), "reply", 987654, flagger)).status, 404);
    assert.equal((await env().api.post(`/api/v1/posts/topic/${topic.id}/flags`, { reason: "spam" })).status, 401);
    const private_ = await buildCommunity(env(), { visibility: "private", members: { member: 1 } });
    const hidden = await buildTopic(env(), private_.slug, private_.members.member[0]);
    assert.equal((await flag(env(), "topic", hidden.id, flagger)).status, 404, "a post one cannot see");
  });

  test("enough flags from trusted members hide a post pending review; untrusted flags only queue it", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 4 } });
    const [asker, author, ...plain] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, author, "Buy cheap followers at my shop");
    for (const user of plain) assert.equal((await flag(env(), "reply", reply.id, user)).body.hidden, false);
    const trusted = await trustedMembers(env(), community.id, 3);
    assert.equal((await flag(env(), "reply", reply.id, trusted[0])).body.hidden, false);
    assert.equal((await flag(env(), "reply", reply.id, trusted[1])).body.hidden, false);
    assert.equal(
      (await flag(env(), "reply", reply.id, trusted[2])).body.hidden,
      true,
      "the third trusted flag hides it",
    );
    const page = await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth);
    assert.equal(page.body.replies.length, 0, "hidden from readers");
    assert.equal(page.body.topic.replyCount, 0);
    const own = await env().api.get(`/api/v1/topics/${topic.id}`, author.auth);
    assert.equal(own.body.replies[0].moderationState, "hidden", "its author still sees it, marked");
    const queue = await env().api.get(`/api/v1/communities/${slug}/review-queue`, admin.auth);
    assert.equal(queue.status, 200);
    assert.equal(queue.body.items.length, 1, "one item per post, however many flags");
    const [item] = queue.body.items;
    assert.equal(item.reason, "flags");
    assert.equal(item.post.state, "hidden");
    assert.equal(item.flags.length, 5);
    assert.equal(item.flags.filter((f: { trusted: boolean }) => f.trusted).length, 3);
    await drainJobs(env());
    const notes = await env().api.get("/api/v1/notifications", author.auth);
    assert.ok(
      notes.body.notifications.some((n: { kind: string }) => n.kind === "moderation"),
      "the author hears of it",
    );
    const audit = await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth);
    assert.equal(audit.body.entries[0].action, "post.autohide");
    assert.equal(audit.body.entries[0].actor, null);
  });

  test("two moderators deciding on one post at once: the first wins, the second is 409", async () => {
    const { community, slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 2 } });
    const [asker, author, flagger] = members.member;
    const [first, second] = members.moderator;
    const topic = await buildTopic(env(), slug, asker);
    const itemFor = async (replyId: number) => {
      await flag(env(), "reply", replyId, flagger, { reason: "abuse" });
      const items = (await env().api.get(`/api/v1/communities/${slug}/review-queue`, first.auth)).body.items;
      return items.find((i: { post: { id: number } }) => i.post.id === replyId).id as number;
    };
    const review = (item: number, action: string, who: TestUser) =>
      env().api.post(`/api/v1/communities/${slug}/review-queue/${item}`, { action }, who.auth);
    const stateOf = async (replyId: number) =>
      (
        await env()
          .deps.db.selectFrom("replies")
          .select("moderationState")
          .where("id", "=", replyId)
          .executeTakeFirstOrThrow()
      ).moderationState;

    // Delete from the queue while another moderator hides from the topic page.
    const voted = await buildReply(env(), topic.id, author, "An upvoted reply, then flagged");
    await env().api.put(`/api/v1/replies/${voted.id}/vote`, { value: 1 }, asker.auth);
    const item = await itemFor(voted.id);
    const raced = await Promise.all([
      review(item, "delete", first),
      env().api.post(`/api/v1/posts/reply/${voted.id}/hide`, { reason: "rude" }, second.auth),
    ]);
    const statuses = raced.map((r) => r.status).sort();
    assert.equal(statuses[0], 200, `${statuses}`);
    assert.ok([404, 409].includes(statuses[1]), `${statuses}`);
    const state = await stateOf(voted.id);
    if (state === "deleted") {
      assert.equal((await totals(env(), community.id, author.id)).kudos, 0, "the delete took the vote's kudos back");
      const restore = await env().api.post(`/api/v1/posts/reply/${voted.id}/restore`, {}, second.auth);
      assert.ok(restore.status >= 400, "a deleted reply does not come back");
      assert.equal(await stateOf(voted.id), "deleted");
    } else assert.equal(state, "hidden");

    // Two opposite decisions on one queue item: one is taken, once.
    const other = await buildReply(env(), topic.id, author, "Another flagged reply");
    const otherItem = await itemFor(other.id);
    const both = await Promise.all([review(otherItem, "delete", first), review(otherItem, "approve", second)]);
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 409]);
    const audits = await env()
      .deps.db.selectFrom("auditLog")
      .select("action")
      .where("targetType", "=", "reply")
      .where("targetId", "=", other.id)
      .execute();
    assert.equal(audits.length, 1);
  });

  test("flags at once count each other, and a flag racing a moderator's delete never brings the post back", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, author] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const trusted = await trustedMembers(env(), community.id, 3);
    const stateOf = async (replyId: number) =>
      (
        await env()
          .deps.db.selectFrom("replies")
          .select("moderationState")
          .where("id", "=", replyId)
          .executeTakeFirstOrThrow()
      ).moderationState;
    for (let round = 0; round < 3; round++) {
      const reply = await buildReply(env(), topic.id, author, `Cheap followers, offer ${round}`);
      const flagged = await Promise.all(trusted.map((user) => flag(env(), "reply", reply.id, user)));
      assert.deepEqual(
        flagged.map((r) => r.status),
        [201, 201, 201],
      );
      assert.equal(await stateOf(reply.id), "hidden", "three trusted flags hide it, sent together or not");
    }
    for (let round = 0; round < 3; round++) {
      const reply = await buildReply(env(), topic.id, author, `More cheap followers, offer ${round}`);
      await flag(env(), "reply", reply.id, trusted[0]);
      await flag(env(), "reply", reply.id, trusted[1]);
      const queue = await env().api.get(`/api/v1/communities/${slug}/review-queue`, admin.auth);
      const item = queue.body.items.find((i: { post: { id: number } }) => i.post.id === reply.id);
      const [, deleted] = await Promise.all([
        flag(env(), "reply", reply.id, trusted[2]),
        env().api.post(`/api/v1/communities/${slug}/review-queue/${item.id}`, { action: "delete" }, admin.auth),
      ]);
      if (deleted.status === 200) assert.equal(await stateOf(reply.id), "deleted", "the delete stands");
      else assert.equal(await stateOf(reply.id), "hidden");
    }
  });

  test("review actions: approve, hide, delete, edit, warn; each audited; resolved items leave the queue", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, author, flagger] = members.member;
    const mod = members.moderator[0];
    const topic = await buildTopic(env(), slug, asker);
    const replies = [];
    for (const body of ["first reply", "second reply", "third reply", "fourth reply"])
      replies.push(await buildReply(env(), topic.id, author, body));
    await env().api.put(`/api/v1/replies/${replies[2].id}/vote`, { value: 1 }, asker.auth);
    assert.equal((await totals(env(), community.id, author.id)).kudos, 10);
    for (const r of replies) await flag(env(), "reply", r.id, flagger, { reason: "abuse" });
    const items = (await env().api.get(`/api/v1/communities/${slug}/review-queue`, mod.auth)).body.items as {
      id: number;
      post: { id: number };
    }[];
    const itemOf = (replyId: number) => items.find((i) => i.post.id === replyId)!.id;
    const act = (replyId: number, body: unknown, who: TestUser = mod) =>
      env().api.post(`/api/v1/communities/${slug}/review-queue/${itemOf(replyId)}`, body, who.auth);
    assert.equal((await act(replies[0].id, { action: "approve" }, flagger)).status, 403, "members cannot review");
    assert.equal((await act(replies[0].id, { action: "approve" })).body.status, "approved");
    assert.equal((await act(replies[0].id, { action: "hide" })).status, 409, "already resolved");
    assert.equal((await act(replies[1].id, { action: "hide", reason: "Insulting" })).body.postState, "hidden");
    assert.equal((await act(replies[2].id, { action: "delete" })).body.postState, "deleted");
    assert.equal((await totals(env(), community.id, author.id)).kudos, 0, "a deleted post's kudos are reversed");
    assert.equal((await act(replies[3].id, { action: "warn" })).status, 422, "a warning needs a reason");
    assert.equal((await act(replies[3].id, { action: "warn", reason: "Keep it civil" })).body.warned, true);
    assert.equal(
      (await act(replies[3].id, { action: "edit", body: "fourth reply, politely" })).body.status,
      "approved",
    );
    assert.equal((await act(replies[3].id, { action: "bogus" })).status, 422);
    const page = await env().api.get(`/api/v1/topics/${topic.id}`);
    assert.deepEqual(page.body.replies.map((r: { body: string }) => r.body).sort(), [
      "first reply",
      "fourth reply, politely",
    ]);
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/review-queue`, mod.auth)).body.items.length, 0);
    const done = await env().api.get(`/api/v1/communities/${slug}/review-queue?status=deleted`, mod.auth);
    assert.equal(done.body.items.length, 1);
    const flags = await env()
      .deps.db.selectFrom("postFlags")
      .select(["targetId", "status"])
      .where("communityId", "=", community.id)
      .orderBy("targetId")
      .execute();
    assert.deepEqual(
      flags.map((f) => f.status),
      ["dismissed", "agreed", "agreed", "dismissed"],
    );
    const actions = (await env().api.get(`/api/v1/communities/${slug}/audit-log`, admin.auth)).body.entries.map(
      (e: { action: string }) => e.action,
    );
    assert.deepEqual(actions.slice(0, 5), ["post.edit", "member.warn", "post.delete", "post.hide", "post.approve"]);
    assert.equal(
      (await env().api.get(`/api/v1/communities/${slug}/audit-log`, mod.auth)).status,
      403,
      "the audit log is for admins",
    );
    await drainJobs(env());
    const told = (await env().api.get("/api/v1/notifications", author.auth)).body.notifications.filter(
      (n: { kind: string }) => n.kind === "moderation",
    );
    assert.equal(told.length, 5);
    assert.ok(told.some((n: { title: string }) => n.title === "Keep it civil"));
  });

  test("a reviewer by kudos approves and hides but may not delete or warn", async () => {
    const { community, slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [author, flagger, reviewer] = members.member;
    const topic = await buildTopic(env(), slug, author);
    await flag(env(), "topic", topic.id, flagger);
    await setKudos(env(), community.id, reviewer.id, 2000);
    const [item] = (await env().api.get(`/api/v1/communities/${slug}/review-queue`, reviewer.auth)).body.items;
    const act = (action: string) =>
      env().api.post(`/api/v1/communities/${slug}/review-queue/${item.id}`, { action, reason: "x y z" }, reviewer.auth);
    assert.equal((await act("delete")).status, 403);
    assert.equal((await act("warn")).status, 403);
    assert.equal((await act("hide")).status, 200);
  });
});
