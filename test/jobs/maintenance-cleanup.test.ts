import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import { defineJob, enqueue, JobRegistry, runDueJobs } from "../../src/jobs/jobs.ts";
import { cleanUp, FAILED_JOBS_KEPT_MS } from "../../src/jobs/maintenance.ts";

/** Finished jobs are pruned, failed ones too (later than done ones): the table does not grow for ever. */
describeEachDatabase("hourly clean-up of finished jobs", (env) => {
  test("a failed job is kept for a while, then pruned", async () => {
    const { deps, clock } = env();
    const job = defineJob<null>({
      name: "test.cleanup.failed",
      attempts: 1,
      run: async () => {
        throw new Error("receiver gone for good");
      },
    });
    await enqueue(deps, job, null);
    await runDueJobs(deps, new JobRegistry().register(job));
    const statuses = () => deps.db.selectFrom("jobs").select("status").where("name", "=", job.name).execute();
    assert.deepEqual(await statuses(), [{ status: "failed" }]);
    clock.advance(FAILED_JOBS_KEPT_MS - 1);
    await cleanUp(deps);
    assert.deepEqual(await statuses(), [{ status: "failed" }], "kept for an operator to look into");
    clock.advance(2);
    await cleanUp(deps);
    assert.deepEqual(await statuses(), [], "then pruned");
  });
});
