import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase, TEST_PASSWORD } from "../helpers.ts";
import { drainJobs } from "./support.ts";
import { sendDigests } from "../../src/notifications/notifications.digest.ts";
import { eventsSince } from "../../src/live/live.hub.ts";

describeEachDatabase("notifications: nothing for who may not read it", (env) => {
  test("a deleted account gets no notification and no email about its old topic", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, helper, follower] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    await env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, follower.auth);
    const deleted = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, asker.auth);
    assert.equal(deleted.status, 204);
    await buildReply(env(), topic.id, helper, "An answer after the asker left");
    await drainJobs(env());
    const rows = (table: "notifications" | "emailDeliveries", userId: number) =>
      env().deps.db.selectFrom(table).select("id").where("userId", "=", userId).execute();
    assert.deepEqual(await rows("notifications", asker.id), []);
    assert.deepEqual(await rows("emailDeliveries", asker.id), []);
    assert.equal((await rows("notifications", follower.id)).length, 1, "a follower is still told");
  });

  test("a mention in a comment under a hidden reply reaches nobody who cannot read that reply", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, helper, other] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper, "A reply about to be hidden");
    await env().api.post(`/api/v1/posts/reply/${reply.id}/hide`, { reason: "Spam" }, members.moderator[0].auth);
    await drainJobs(env());
    const mention = await env().api.post(
      `/api/v1/replies/${reply.id}/comments`,
      { body: `@${other.handle} secret hidden text` },
      helper.auth,
    );
    assert.equal(mention.status, 201, "the reply's author may still comment");
    await drainJobs(env());
    assert.deepEqual((await env().api.get("/api/v1/notifications", other.auth)).body.notifications, []);
  });
  test("a comment under a hidden reply is not announced to the topic's live readers", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const hidden = await buildReply(env(), topic.id, helper, "A reply about to be hidden");
    const shown = await buildReply(env(), topic.id, helper, "A reply that stays");
    await env().api.post(`/api/v1/posts/reply/${hidden.id}/hide`, { reason: "Spam" }, members.moderator[0].auth);
    await drainJobs(env());
    for (const reply of [hidden, shown]) {
      const res = await env().api.post(`/api/v1/replies/${reply.id}/comments`, { body: "A comment" }, helper.auth);
      assert.equal(res.status, 201);
    }
    await drainJobs(env());
    const events = await eventsSince(env().deps.db, [`topic:${topic.id}`], 0);
    assert.deepEqual(
      events.filter((e) => e.type === "comment").map((e) => (e.data as { replyId: number }).replyId),
      [shown.id],
      "only the comment under the visible reply goes out",
    );
  });

  test("a reply or comment hidden after it was notified takes its notifications and excerpt with it, until restored", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 4, moderator: 1 } });
    const [asker, helper, follower, mentioned] = members.member;
    const mod = members.moderator[0].auth;
    const topic = await buildTopic(env(), slug, asker);
    await env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, follower.auth);
    const reply = await buildReply(env(), topic.id, helper, `Abusive words here, @${mentioned.handle}`);
    const comment = await env().api.post(
      `/api/v1/replies/${reply.id}/comments`,
      { body: "More abusive words" },
      asker.auth,
    );
    assert.equal(comment.status, 201);
    await drainJobs(env());
    const listOf = async (who: typeof asker) => {
      const body = (await env().api.get("/api/v1/notifications", who.auth)).body;
      return { kinds: body.notifications.map((n: { kind: string }) => n.kind).sort(), text: JSON.stringify(body) };
    };
    assert.deepEqual((await listOf(asker)).kinds, ["reply"]);
    assert.deepEqual((await listOf(helper)).kinds, ["comment"]);
    assert.deepEqual((await listOf(follower)).kinds, ["followed_answered"]);
    assert.deepEqual((await listOf(mentioned)).kinds, ["mention"]);

    const hide = (type: string, id: number) =>
      env().api.post(`/api/v1/posts/${type}/${id}/hide`, { reason: "Abuse" }, mod);
    assert.equal((await hide("comment", comment.body.comment.id)).status, 200);
    assert.deepEqual((await listOf(helper)).kinds, [], "the hidden comment's notification is gone");
    assert.equal((await hide("reply", reply.id)).status, 200);
    for (const who of [asker, follower, mentioned]) {
      const { kinds, text } = await listOf(who);
      assert.deepEqual(kinds, []);
      assert.doesNotMatch(text, /Abusive/);
    }
    await sendDigests(env().deps, "daily");
    const digests = await env()
      .deps.db.selectFrom("emailDeliveries")
      .select("id")
      .where("userId", "=", follower.id)
      .where("kind", "=", "digest.daily")
      .execute();
    assert.deepEqual(digests, [], "no digest shows the hidden reply to the follower");

    const restored = await env().api.post(`/api/v1/posts/reply/${reply.id}/restore`, {}, mod);
    assert.equal(restored.status, 200);
    assert.deepEqual((await listOf(follower)).kinds, ["followed_answered"]);
  });

  test("a reply hidden before its fan-out ran notifies nobody", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    await drainJobs(env());
    const reply = await buildReply(env(), topic.id, helper, "Spam link here");
    const hidden = await env().api.post(
      `/api/v1/posts/reply/${reply.id}/hide`,
      { reason: "Spam" },
      members.moderator[0].auth,
    );
    assert.equal(hidden.status, 200);
    await drainJobs(env());
    const rows = await env().deps.db.selectFrom("notifications").select("id").where("userId", "=", asker.id).execute();
    assert.deepEqual(rows, []);
  });
});
