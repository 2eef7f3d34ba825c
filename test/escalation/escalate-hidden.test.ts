import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { roomyLimits } from "../routing/support.ts";

// The deadlines never escalate a topic moderation hid or holds; staff escalating one by hand is
// refused too: its asker would be told, and the help desk sent what nobody may read.
describeEachDatabase(
  "escalation by hand: only of visible topics",
  (env) => {
    test("a hidden topic is 409 to escalate, with no case, notification or status; restored, it escalates", async () => {
      // An admin both works the staff queue and reads hidden topics.
      const { slug, members, admin: staff } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
      const topic = await buildTopic(env(), slug, members.member[0], { title: "Router red light again" });
      const hide = `/api/v1/posts/topic/${topic.id}/hide`;
      assert.equal((await env().api.post(hide, { reason: "Spam" }, members.moderator[0].auth)).status, 200);
      const refused = await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, "conflict");
      const db = env().deps.db;
      const state = await db.selectFrom("topics").select("escalatedAt").where("id", "=", topic.id).executeTakeFirst();
      assert.equal(state?.escalatedAt, null);
      assert.equal(
        (await db.selectFrom("supportCases").select("topicId").where("topicId", "=", topic.id).execute()).length,
        0,
      );
      const told = await db
        .selectFrom("notifications")
        .select("id")
        .where("topicId", "=", topic.id)
        .where("kind", "=", "escalated")
        .execute();
      assert.equal(told.length, 0, "the asker is not told");

      const restore = `/api/v1/posts/topic/${topic.id}/restore`;
      assert.equal((await env().api.post(restore, {}, members.moderator[0].auth)).status, 200);
      const escalated = await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth);
      assert.deepEqual([escalated.status, escalated.body], [200, { status: "escalated" }]);
    });
  },
  roomyLimits,
);
