import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildCommunity,
  buildReply,
  buildTopic,
  describeEachDatabase,
  refuseWrites,
  type TestEnv,
} from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { JobRegistry, runDueJobs, type JobDefinition } from "../../src/jobs/jobs.ts";
import { digestJob, scheduleDigest } from "../../src/notifications/notifications.digest.ts";
import { expectationsJob, scheduleExpectations } from "../../src/insights/insights.jobs.ts";

const HOUR = 3_600_000;

/** Runs a scheduled job through every attempt while `fault` refuses its work; returns its runs by time. */
async function failEveryAttempt(
  env: TestEnv,
  job: JobDefinition<never>,
  fault: { name: string; table: string; event: string },
) {
  const { deps, clock } = env;
  const registry = new JobRegistry().register(job);
  const runs = () =>
    deps.db.selectFrom("jobs").select(["runAt", "status"]).where("name", "=", job.name).orderBy("runAt").execute();
  const [first] = await runs();
  assert.equal(first.status, "pending");
  const restore = await refuseWrites(env, fault);
  try {
    clock.advance(first.runAt - clock.now());
    for (let i = 0; i < (job.attempts ?? 5); i++) {
      await runDueJobs(deps, registry);
      clock.advance(HOUR); // past any backoff, before the next day
    }
  } finally {
    await restore();
  }
  return { first, runs: await runs() };
}

// A daily job that schedules its next run only after its work ends the chain when a day fails
// every attempt (a failover, a statement timeout): nothing would run again until a restart.
describeEachDatabase("daily jobs keep their chain when a day fails", (env) => {
  test("the daily digest and the expectations measurement are scheduled again after a failed day", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, helper, follower] = members.member;
    const topic = await buildTopic(env(), slug, asker, { title: "Router keeps dropping the line" });
    await env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, follower.auth);
    await buildReply(env(), topic.id, helper, "Try another cable.");
    await drainJobs(env());

    for (const [job, schedule, fault] of [
      [digestJob, () => scheduleDigest(env().deps, "daily"), { name: "refuse_digest", table: "email_deliveries" }],
      [expectationsJob, () => scheduleExpectations(env().deps), { name: "refuse_measure", table: "categories" }],
    ] as const) {
      await env().deps.db.deleteFrom("jobs").where("name", "=", job.name).execute();
      await schedule();
      const { first, runs } = await failEveryAttempt(env(), job as JobDefinition<never>, {
        ...fault,
        event: fault.table === "categories" ? "update" : "insert",
      });
      assert.equal(runs[0].status, "failed", `${job.name}: the day failed its every attempt`);
      assert.ok(
        runs.some((r) => r.status === "pending" && r.runAt > first.runAt),
        `${job.name}: the next run is scheduled all the same: ${JSON.stringify(runs)}`,
      );
    }
  });
});
