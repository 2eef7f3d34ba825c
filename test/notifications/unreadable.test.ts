import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase, TEST_PASSWORD } from "../helpers.ts";
import { drainJobs } from "./support.ts";

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
});
