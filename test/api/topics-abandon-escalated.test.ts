import { test } from "node:test";
import assert from "node:assert/strict";
import { transaction } from "../../src/core/transaction.ts";
import { markAbandoned } from "../../src/topics/index.ts";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { answer, ask, roomyLimits } from "../routing/support.ts";
import { statusOf } from "../escalation/support.ts";

describeEachDatabase(
  "topics: markAbandoned leaves escalated topics alone",
  (env) => {
    const abandonedAt = async (topicId: number) =>
      (
        await env()
          .deps.db.selectFrom("topics")
          .select("abandonedAt")
          .where("id", "=", topicId)
          .executeTakeFirstOrThrow()
      ).abandonedAt;

    test("an escalated topic is not marked abandoned, whoever calls it; a crowd topic still is", async () => {
      const { slug, community, members } = await buildCommunity(env(), { members: { member: 2, staff: 1 } });
      const [asker, helper] = members.member;
      const [staff] = members.staff;
      const escalated = await ask(env(), slug, asker);
      const crowd = await ask(env(), slug, asker);
      await answer(env(), escalated.id, helper);
      await answer(env(), crowd.id, helper);
      const res = await env().api.post(`/api/v1/topics/${escalated.id}/escalate`, {}, staff.auth);
      assert.equal(res.status, 200);

      await transaction(env().deps, async (tx) => {
        await markAbandoned(tx, { id: escalated.id, communityId: community.id });
        await markAbandoned(tx, { id: crowd.id, communityId: community.id });
      });

      assert.equal(await abandonedAt(escalated.id), null, "escalated: with staff, not abandoned");
      assert.equal(await statusOf(env(), escalated.id, asker), "escalated");
      assert.notEqual(await abandonedAt(crowd.id), null, "the crowd's topic is abandoned as before");
      assert.equal(await statusOf(env(), crowd.id, asker), "abandoned");
    });
  },
  roomyLimits,
);
