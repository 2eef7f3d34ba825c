import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import { defineJob, enqueue, JobRegistry, queueStatus, runDueJobs } from "../../src/jobs/jobs.ts";

describeEachDatabase("job queue", (env) => {
  test("runs a due job once and records it done", async () => {
    const seen: number[] = [];
    const job = defineJob<{ n: number }>({ name: "test.record", run: async (_deps, p) => void seen.push(p.n) });
    const registry = new JobRegistry().register(job);
    await enqueue(env().deps, job, { n: 7 });
    assert.equal(await runDueJobs(env().deps, registry), 1);
    assert.equal(await runDueJobs(env().deps, registry), 0);
    assert.deepEqual(seen, [7]);
  });

  test("waits for runAt, as timers do", async () => {
    const seen: string[] = [];
    const job = defineJob<string>({ name: "test.timer", run: async (_deps, p) => void seen.push(p) });
    const registry = new JobRegistry().register(job);
    await enqueue(env().deps, job, "later", { runAt: env().clock.now() + 60_000 });
    assert.equal(await runDueJobs(env().deps, registry), 0);
    env().clock.advance(60_000);
    assert.equal(await runDueJobs(env().deps, registry), 1);
    assert.deepEqual(seen, ["later"]);
  });

  test("retries with backoff, then marks the job failed and keeps the error", async () => {
    let calls = 0;
    const job = defineJob<null>({
      name: "test.flaky",
      attempts: 3,
      backoffMs: (attempt) => attempt * 1000,
      run: async () => {
        calls += 1;
        throw new Error(`boom ${calls}`);
      },
    });
    const registry = new JobRegistry().register(job);
    await enqueue(env().deps, job, null);
    await runDueJobs(env().deps, registry);
    assert.equal(calls, 1);
    await runDueJobs(env().deps, registry);
    assert.equal(calls, 1, "not before the backoff");
    env().clock.advance(1000);
    await runDueJobs(env().deps, registry);
    assert.equal(calls, 2);
    env().clock.advance(2000);
    await runDueJobs(env().deps, registry);
    assert.equal(calls, 3);
    env().clock.advance(60_000);
    await runDueJobs(env().deps, registry);
    assert.equal(calls, 3, "no attempt past the limit");
    const status = await queueStatus(env().deps.db);
    const failed = status.failures.find((f) => f.name === "test.flaky");
    assert.equal(failed?.status, "failed");
    assert.equal(failed?.lastError, "boom 3");
  });

  test("a dedupe key schedules a job only once", async () => {
    let calls = 0;
    const job = defineJob<null>({
      name: "test.dedupe",
      run: async () => {
        calls += 1;
      },
    });
    const registry = new JobRegistry().register(job);
    await enqueue(env().deps, job, null, { dedupeKey: "once:1" });
    await enqueue(env().deps, job, null, { dedupeKey: "once:1" });
    await runDueJobs(env().deps, registry);
    assert.equal(calls, 1);
  });

  test("a job whose worker died (lease expired) runs again", async () => {
    let calls = 0;
    const job = defineJob<null>({
      name: "test.crash",
      run: async () => {
        calls += 1;
      },
    });
    const registry = new JobRegistry().register(job);
    await enqueue(env().deps, job, null);
    // Simulate a worker that claimed the job and died: running, lease still valid.
    await env()
      .deps.db.updateTable("jobs")
      .set({ status: "running", lockedUntil: env().clock.now() + 1000 })
      .where("name", "=", "test.crash")
      .execute();
    assert.equal(await runDueJobs(env().deps, registry), 0);
    env().clock.advance(1001);
    assert.equal(await runDueJobs(env().deps, registry), 1);
    assert.equal(calls, 1);
  });

  test("two workers never run the same job twice", async () => {
    const seen: number[] = [];
    const job = defineJob<number>({
      name: "test.parallel",
      run: async (_deps, n) => {
        seen.push(n);
        await new Promise((r) => setTimeout(r, 1));
      },
    });
    const registry = new JobRegistry().register(job);
    for (let i = 0; i < 40; i++) await enqueue(env().deps, job, i);
    await Promise.all([runDueJobs(env().deps, registry, 5), runDueJobs(env().deps, registry, 5)]);
    assert.equal(seen.length, 40);
    assert.equal(new Set(seen).size, 40);
  });
});
