import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import { defineJob, enqueue, JobRegistry, LEASE_MS, runDueJobs } from "../../src/jobs/jobs.ts";

/** runDueJobs claims a job right before it runs: one queued behind a slow job does not lose its lease meanwhile. */
describeEachDatabase("due jobs and their leases", (env) => {
  test("a job waiting behind a slow one is not taken over by another worker, so it runs once", async () => {
    const runs = { slow: 0, next: 0 };
    const registry = new JobRegistry();
    const slow = defineJob<null>({
      name: "test.lease.slow",
      run: async (deps) => {
        runs.slow++;
        // Longer than a lease; its own lease is renewed while it runs, as keepLease does.
        env().clock.advance(2 * LEASE_MS);
        await deps.db
          .updateTable("jobs")
          .set({ lockedUntil: deps.clock.now() + LEASE_MS })
          .where("name", "=", "test.lease.slow")
          .execute();
        // Meanwhile another worker looks for due jobs.
        await runDueJobs(deps, registry);
      },
    });
    const next = defineJob<null>({ name: "test.lease.next", run: async () => void runs.next++ });
    registry.register(slow, next);
    await enqueue(env().deps, slow, null);
    await enqueue(env().deps, next, null);

    await runDueJobs(env().deps, registry);

    assert.deepEqual(runs, { slow: 1, next: 1 });
    const rows = await env().deps.db.selectFrom("jobs").select(["name", "status", "attempts"]).orderBy("id").execute();
    assert.deepEqual(rows, [
      { name: "test.lease.slow", status: "done", attempts: 1 },
      { name: "test.lease.next", status: "done", attempts: 1 },
    ]);
  });
});
