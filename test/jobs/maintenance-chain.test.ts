import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase, refuseWrites } from "../helpers.ts";
import { JobRegistry, runDueJobs } from "../../src/jobs/jobs.ts";
import { maintenanceJob, orphanAttachmentsJob, scheduleMaintenance } from "../../src/jobs/maintenance.ts";

const HOUR = 3600_000;

describeEachDatabase("hourly maintenance", (env) => {
  test("a run that fails every attempt still leaves the next hour's run scheduled", async () => {
    const { deps, clock } = env();
    const registry = new JobRegistry().register(maintenanceJob, orphanAttachmentsJob);
    const maintenance = () =>
      deps.db
        .selectFrom("jobs")
        .select(["runAt", "status"])
        .where("name", "=", maintenanceJob.name)
        .orderBy("runAt")
        .execute();
    await scheduleMaintenance(deps);
    const [first] = await maintenance();
    assert.equal(first.status, "pending");
    // The clean-up fails (a statement timeout, a database failing over) on every attempt.
    await deps.db
      .insertInto("liveEvents")
      .values({ channel: "test", type: "old", data: "{}", createdAt: first.runAt - 2 * HOUR })
      .execute();
    const restore = await refuseWrites(env(), { name: "refuse_cleanup", table: "live_events", event: "delete" });
    try {
      clock.advance(first.runAt - clock.now());
      for (let i = 0; i < (maintenanceJob.attempts ?? 5); i++) {
        await runDueJobs(deps, registry);
        clock.advance(6 * HOUR); // past any backoff
      }
    } finally {
      await restore();
    }
    const runs = await maintenance();
    assert.equal(runs[0].status, "failed", "the run failed its every attempt");
    assert.ok(
      runs.some((r) => r.status === "pending" && r.runAt > first.runAt),
      `the next run is scheduled all the same: ${JSON.stringify(runs)}`,
    );
  });
});
