import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import { defineJob, enqueue, JobRegistry, LEASE_MS, runDueJobs, startWorker } from "../../src/jobs/jobs.ts";

describeEachDatabase("stopping the job worker", (env) => {
  test("waits a bounded time for a hung handler, then leaves its job to its lease", { timeout: 10_000 }, async () => {
    let started = false;
    const hung = defineJob<null>({
      name: "test.stop.hung",
      run: () => {
        started = true;
        return new Promise<void>(() => undefined); // never settles
      },
    });
    await enqueue(env().deps, hung, null);
    const worker = startWorker(env().deps, new JobRegistry().register(hung), {
      pollMs: 5,
      renewEveryMs: 5,
      stopWaitMs: 50,
    });
    while (!started) await new Promise((resolve) => setTimeout(resolve, 5));
    await worker.stop();

    env().clock.advance(LEASE_MS + 1);
    await new Promise((resolve) => setTimeout(resolve, 30)); // a renewal would have pushed the lease on
    let retries = 0;
    const other = new JobRegistry().register(defineJob<null>({ name: hung.name, run: async () => void retries++ }));
    assert.equal(await runDueJobs(env().deps, other), 1, "another worker retries it once the lease ran out");
    assert.equal(retries, 1);
  });
});
