import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { answer, ask, roomyLimits } from "../routing/support.ts";

const DAY = 86_400_000;

// The abandonment check runs 14 days after a reply. A topic a moderator hid (or merged) meanwhile
// is nobody's open question: it is not marked abandoned.
describeEachDatabase(
  "abandonment: only of visible topics",
  (env) => {
    test("a topic hidden or merged after its reply is not marked abandoned", async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
      const [asker, helper] = members.member;
      const moderator = members.moderator[0];
      const [hidden, merged, into, silent] = [
        await ask(env(), slug, asker),
        await ask(env(), slug, asker),
        await ask(env(), slug, helper),
        await ask(env(), slug, asker),
      ];
      for (const topic of [hidden, merged, silent]) await answer(env(), topic.id, helper);
      await drainJobs(env());
      const hide = await env().api.post(`/api/v1/posts/topic/${hidden.id}/hide`, { reason: "Spam" }, moderator.auth);
      assert.equal(hide.status, 200);
      const merge = await env().api.post(`/api/v1/topics/${merged.id}/merge`, { intoTopicId: into.id }, moderator.auth);
      assert.equal(merge.status, 200);
      env().clock.advance(15 * DAY);
      await drainJobs(env());
      const abandonedAt = async (id: number) =>
        (await env().deps.db.selectFrom("topics").select("abandonedAt").where("id", "=", id).executeTakeFirstOrThrow())
          .abandonedAt;
      assert.notEqual(await abandonedAt(silent.id), null, "the visible one is abandoned");
      assert.equal(await abandonedAt(hidden.id), null, "not the hidden one");
      assert.equal(await abandonedAt(merged.id), null, "nor the merged one");
    });
  },
  roomyLimits,
);
