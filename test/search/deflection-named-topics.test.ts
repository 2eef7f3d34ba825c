import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { configureCategory } from "../escalation/support.ts";
import { postIndexed, roomyLimits } from "./support.ts";

// A deflection event names a topic only where it tells something true: the one opened from the
// list, or the caller's own topic posted. Any other id would be counted for a visit that never
// saw it, and a 422 for a missing id beside a 201 for a private one would tell which ids exist.
describeEachDatabase(
  "deflection events: which topics an event may name",
  (env) => {
    test("a list shown names nothing, and topic_posted names only the caller's own topic", async () => {
      const { slug, admin, members, categories } = await buildCommunity(env(), {
        members: { member: 2 },
        categories: ["Billing"],
      });
      const [asker, other] = members.member;
      await configureCategory(env(), slug, admin, categories[0].id, { scope: "private" });
      const listed = await postIndexed(env(), slug, asker, other, { title: "Router blinks red after the update" });
      const own = await postIndexed(env(), slug, other, asker, { title: "Router manual in German" });
      const secret = await postIndexed(env(), slug, asker, other, {
        title: "Router invoice with my account number",
        categoryId: categories[0].id,
      });
      const found = await env().api.get(`/api/v1/communities/${slug}/search?q=router`, other.auth);
      assert.equal(found.status, 200);
      assert.ok(!found.body.results.some((r: { topic: { id: number } | null }) => r.topic?.id === secret.id));
      const send = (type: string, extra: Record<string, unknown>) =>
        env().api.post(
          `/api/v1/communities/${slug}/deflection-events`,
          { type, visitId: "visit-naming0001", token: found.body.deflectionToken, ...extra },
          other.auth,
        );
      const missing = 99_999;
      for (const topicId of [secret.id, listed.id, missing]) {
        const shown = await send("search_shown", { topicId });
        assert.equal(shown.status, 422, `search_shown naming ${topicId}`);
        const posted = await send("topic_posted", { topicId });
        assert.equal(posted.status, 422, `topic_posted naming ${topicId}`);
        assert.deepEqual(posted.body.error.fields, { topicId: "Name a topic you posted in this community." });
      }
      assert.equal((await send("search_shown", {})).status, 201);
      assert.equal((await send("topic_posted", { topicId: own.id })).status, 201, "one's own topic");
      assert.equal((await send("result_opened", { topicId: listed.id })).status, 201, "an open names what it opened");
      const stored = await env()
        .deps.db.selectFrom("deflectionEvents")
        .select(["type", "topicId"])
        .where("visitId", "=", "visit-naming0001")
        .orderBy("id")
        .execute();
      assert.deepEqual(stored, [
        { type: "search_shown", topicId: null },
        { type: "topic_posted", topicId: own.id },
        { type: "result_opened", topicId: listed.id },
      ]);
    });
  },
  roomyLimits,
);
