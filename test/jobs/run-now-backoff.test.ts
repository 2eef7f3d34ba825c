import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import { defineJob, enqueue, JobRegistry, runDueJobs, runJobsNow } from "../../src/jobs/jobs.ts";

describeEachDatabase("jobs run right after a commit", (env) => {
  test("one a worker already ran and that failed waits its backoff, not run again at once", async () => {
    let calls = 0;
    const job = defineJob<null>({
      name: "test.runNowBackoff",
      backoffMs: () => 60_000,
      run: async () => {
        calls += 1;
        throw new Error("receiver down");
      },
    });
    const registry = new JobRegistry().register(job);
    await enqueue(env().deps, job, null);
    const { id } = await env()
      .deps.db.selectFrom("jobs")
      .select("id")
      .where("name", "=", job.name)
      .executeTakeFirstOrThrow();
    // The worker took the delivery before the committing process got to it, and it failed.
    assert.equal(await runDueJobs(env().deps, registry), 1);
    await runJobsNow(env().deps, registry, [id]);
    assert.equal(calls, 1, "the retry waits for its backoff");
    env().clock.advance(60_000);
    assert.equal(await runDueJobs(env().deps, registry), 1);
    assert.equal(calls, 2);
  });
});
