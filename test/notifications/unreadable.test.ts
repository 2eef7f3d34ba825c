import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase, TEST_PASSWORD } from "../helpers.ts";
import { drainJobs } from "./support.ts";

describeEachDatabase("notifications: deleted accounts", (env) => {
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
});
