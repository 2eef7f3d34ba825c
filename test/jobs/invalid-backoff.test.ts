import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import { defaultBackoff, defineJob, enqueue, JobRegistry, runDueJobs } from "../../src/jobs/jobs.ts";

/** A job's backoff that gives no usable delay falls back to the default one: the retry is still in the future. */
describeEachDatabase("job backoff that gives no usable delay", (env) => {
  for (const [label, value] of [
    ["NaN", Number.NaN],
    ["a negative delay", -60_000],
    ["an infinite delay", Number.POSITIVE_INFINITY],
  ] as const) {
    test(`${label}: the retry waits the default backoff`, async () => {
      let calls = 0;
      const name = `test.backoff.${label.replace(/\W+/g, "-")}`;
      const job = defineJob<null>({
        name,
        backoffMs: () => value,
        run: async () => {
          calls++;
          throw new Error("boom");
        },
      });
      const registry = new JobRegistry().register(job);
      await enqueue(env().deps, job, null);
      const failedAt = env().clock.now();
      await runDueJobs(env().deps, registry);
      const row = await env()
        .deps.db.selectFrom("jobs")
        .select(["status", "runAt"])
        .where("name", "=", name)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        { status: row.status, runAt: Number(row.runAt) },
        {
          status: "pending",
          runAt: failedAt + defaultBackoff(1),
        },
      );
      // Not retried at once, then retried when the default backoff is over.
      await runDueJobs(env().deps, registry);
      assert.equal(calls, 1);
      env().clock.advance(defaultBackoff(1));
      await runDueJobs(env().deps, registry);
      assert.equal(calls, 2);
    });
  }
});
