import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import { defineJob, enqueue, JobRegistry, runDueJobs } from "../../src/jobs/jobs.ts";

/** In a rolling deploy an older instance meets jobs of a newer one: it leaves them to an instance that knows them. */
describeEachDatabase("jobs an instance does not know", (env) => {
  test("are not claimed, so they keep their attempts for an instance that knows them", async () => {
    let newRuns = 0;
    const newer = defineJob<null>({ name: "test.unknown.newer", attempts: 2, run: async () => void newRuns++ });
    const known = defineJob<null>({ name: "test.unknown.known", run: async () => undefined });
    const older = new JobRegistry().register(known);
    await enqueue(env().deps, newer, null); // first in line
    await enqueue(env().deps, known, null);

    for (let i = 0; i < 3; i++) {
      assert.equal(await runDueJobs(env().deps, older), i === 0 ? 1 : 0, "only the job it knows");
      env().clock.advance(60 * 60_000);
    }
    const waiting = await env()
      .deps.db.selectFrom("jobs")
      .select(["status", "attempts", "lastError"])
      .where("name", "=", newer.name)
      .executeTakeFirstOrThrow();
    assert.deepEqual(waiting, { status: "pending", attempts: 0, lastError: null });

    assert.equal(await runDueJobs(env().deps, new JobRegistry().register(known, newer)), 1);
    assert.equal(newRuns, 1);
  });

  test("one whose last attempt's worker died is left for an instance that knows how to end it", async () => {
    const newer = defineJob<{ email: string }>({
      name: "test.unknown.forgets",
      attempts: 1,
      forgetPayload: true,
      run: async () => undefined,
    });
    await enqueue(env().deps, newer, { email: "typed@example.com" });
    await env()
      .deps.db.updateTable("jobs")
      .set({ status: "running", attempts: 1, lockedUntil: env().clock.now() - 1 })
      .where("name", "=", newer.name)
      .execute();
    const row = () =>
      env()
        .deps.db.selectFrom("jobs")
        .select(["status", "payload"])
        .where("name", "=", newer.name)
        .executeTakeFirstOrThrow();

    await runDueJobs(
      env().deps,
      new JobRegistry().register(defineJob({ name: "test.unknown.other", run: async () => {} })),
    );
    assert.equal((await row()).status, "running", "not settled without knowing to forget its payload");
    await runDueJobs(env().deps, new JobRegistry().register(newer));
    assert.deepEqual(await row(), { status: "failed", payload: "{}" });
  });

  test("an empty registry claims nothing", async () => {
    await enqueue(env().deps, defineJob<null>({ name: "test.unknown.any", run: async () => undefined }), null);
    assert.equal(await runDueJobs(env().deps, new JobRegistry()), 0);
  });
});
