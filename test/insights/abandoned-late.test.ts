import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { roomyLimits } from "../routing/support.ts";
import { rollUpCommunity } from "../../src/insights/insights.rollups.jobs.ts";

const DAY = 86_400_000;

// The abandon timer runs 14 days after an answer; the rollups recompute only the last 30 days by
// themselves. A question answered after 25 days and abandoned 14 days later is past them: its day is
// computed again on the topic's "topic.abandoned" event.
describeEachDatabase(
  "insights rollups: a question abandoned long after it was asked",
  (env) => {
    test("its rolled-up day counts it abandoned once computed again", async () => {
      env().clock.set(Date.UTC(2026, 0, 5, 10));
      const { slug, community, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
      const [asker, helper] = members.member;
      const question = await buildTopic(env(), slug, asker);
      env().clock.advance(25 * DAY);
      await buildReply(env(), question.id, helper);
      await drainJobs(env());
      await rollUpCommunity(env().deps, community.id, { recheck: true });
      const figures = async () =>
        (await env().api.get(`/api/v1/communities/${slug}/insights?from=2026-01-05&to=2026-01-05`, admin.auth)).body
          .summary;
      assert.deepEqual([(await figures()).answered, (await figures()).abandoned], [1, 0]);

      env().clock.advance(15 * DAY);
      await drainJobs(env());
      const { abandonedAt } = await env()
        .deps.db.selectFrom("topics")
        .select("abandonedAt")
        .where("id", "=", question.id)
        .executeTakeFirstOrThrow();
      assert.notEqual(abandonedAt, null, "the timer marked it abandoned");
      assert.ok((await rollUpCommunity(env().deps, community.id, { recheck: true })) >= 1);
      const rolled = await env()
        .deps.db.selectFrom("insightsDays")
        .select("computedAt")
        .where("communityId", "=", community.id)
        .where("day", "=", "2026-01-05")
        .executeTakeFirstOrThrow();
      assert.equal(Number(rolled.computedAt), env().clock.now(), "the day was computed again");
      assert.equal((await figures()).abandoned, 1);
      assert.equal(await rollUpCommunity(env().deps, community.id, { recheck: true }), 0, "and only once");
    });
  },
  roomyLimits,
);
