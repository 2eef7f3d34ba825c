import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import {
  defineJob,
  enqueue,
  JobRegistry,
  LEASE_MS,
  queueStatus,
  runDueJobs,
  runJobsNow,
  startWorker,
} from "../../src/jobs/jobs.ts";

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

  test("a job whose last attempt's worker died has failed: it does not run again", async () => {
    let calls = 0;
    const job = defineJob<null>({ name: "test.poison", attempts: 3, run: async () => void calls++ });
    const registry = new JobRegistry().register(job);
    await enqueue(env().deps, job, null);
    // Its third attempt's worker died: running at attempt 3 of 3, the lease run out.
    await env()
      .deps.db.updateTable("jobs")
      .set({ status: "running", attempts: 3, lockedUntil: env().clock.now() - 1 })
      .where("name", "=", "test.poison")
      .execute();
    assert.equal(await runDueJobs(env().deps, registry), 0);
    assert.equal(calls, 0);
    const row = await env()
      .deps.db.selectFrom("jobs")
      .select(["status", "attempts"])
      .where("name", "=", "test.poison")
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: "failed", attempts: 3 });
  });

  test("a job whose last attempt's worker died forgets its payload, as one that failed in its handler does", async () => {
    const job = defineJob<{ email: string }>({
      name: "test.forgetOnCrash",
      attempts: 2,
      forgetPayload: true,
      run: async () => undefined,
    });
    const registry = new JobRegistry().register(job);
    await enqueue(env().deps, job, { email: "typed@example.com" });
    // Its second attempt's worker died: running at attempt 2 of 2, the lease run out.
    await env()
      .deps.db.updateTable("jobs")
      .set({ status: "running", attempts: 2, lockedUntil: env().clock.now() - 1 })
      .where("name", "=", job.name)
      .execute();
    assert.equal(await runDueJobs(env().deps, registry), 0);
    const row = await env()
      .deps.db.selectFrom("jobs")
      .select(["status", "payload"])
      .where("name", "=", job.name)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: "failed", payload: "{}" });
  });

  test("a job that forgets its payload empties it when it ends, done or failed; others keep theirs", async () => {
    const forgets = defineJob<string>({ name: "test.forget.done", forgetPayload: true, run: async () => undefined });
    const fails = defineJob<string>({
      name: "test.forget.failed",
      attempts: 1,
      forgetPayload: true,
      run: async () => {
        throw new Error("no");
      },
    });
    const keeps = defineJob<string>({ name: "test.forget.kept", run: async () => undefined });
    const registry = new JobRegistry().register(forgets, fails, keeps);
    for (const job of [forgets, fails, keeps]) await enqueue(env().deps, job, "typed@example.com");
    assert.equal(await runDueJobs(env().deps, registry), 3);
    const rows = await env()
      .deps.db.selectFrom("jobs")
      .select(["name", "status", "payload"])
      .where("name", "like", "test.forget.%")
      .orderBy("id")
      .execute();
    assert.deepEqual(rows, [
      { name: "test.forget.done", status: "done", payload: "{}" },
      { name: "test.forget.failed", status: "failed", payload: "{}" },
      { name: "test.forget.kept", status: "done", payload: JSON.stringify("typed@example.com") },
    ]);
  });

  test("a worker whose lease ran out changes nothing with its late result", async () => {
    const gates: ((fail: boolean) => void)[] = [];
    const slow = defineJob<null>({
      name: "test.late",
      run: () =>
        new Promise<void>((resolve, reject) =>
          gates.push((fail) => (fail ? reject(new Error("failed late")) : resolve())),
        ),
    });
    const registry = new JobRegistry().register(slow);
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((r) => setTimeout(r, 5));
    };
    await enqueue(env().deps, slow, null);
    const first = runDueJobs(env().deps, registry);
    await until(() => gates.length === 1);
    env().clock.advance(LEASE_MS + 1);
    const second = runDueJobs(env().deps, registry); // takes the job over
    await until(() => gates.length === 2);
    gates[0](true); // the first worker fails, late
    await first;
    env().clock.advance(10_001); // past the first worker's backoff, inside the second's lease
    let thirdRuns = 0;
    const third = new JobRegistry().register(defineJob<null>({ name: "test.late", run: async () => void thirdRuns++ }));
    assert.equal(await runDueJobs(env().deps, third), 0, "the second worker still holds it");
    gates[1](false);
    await second;
    assert.equal(thirdRuns, 0);
    const row = await env()
      .deps.db.selectFrom("jobs")
      .select(["status", "attempts"])
      .where("name", "=", "test.late")
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: "done", attempts: 2 });
  });

  test("jobs run right after a commit are claimed one by one: one waiting behind a slow one runs once", async () => {
    const seen: string[] = [];
    let takeOver = true;
    const slow = defineJob<null>({
      name: "test.afterCommitSlow",
      run: async (deps) => {
        if (takeOver) {
          // Slow: past the lease, while another worker looks for due jobs.
          takeOver = false;
          env().clock.advance(2 * LEASE_MS);
          await runDueJobs(deps, registry);
        }
        seen.push("slow");
      },
    });
    const next = defineJob<null>({ name: "test.afterCommitNext", run: async () => void seen.push("next") });
    const registry = new JobRegistry().register(slow, next);
    await enqueue(env().deps, slow, null);
    await enqueue(env().deps, next, null);
    const ids = await env()
      .deps.db.selectFrom("jobs")
      .select("id")
      .where("name", "in", ["test.afterCommitSlow", "test.afterCommitNext"])
      .orderBy("id")
      .execute();
    await runJobsNow(
      env().deps,
      registry,
      ids.map((r) => r.id),
    );
    assert.equal(seen.filter((s) => s === "next").length, 1, "the job that waited ran once");
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
    await Promise.all([runDueJobs(env().deps, registry), runDueJobs(env().deps, registry)]);
    assert.equal(seen.length, 40);
    assert.equal(new Set(seen).size, 40);
  });
});

/** A promise the test resolves when it chooses. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** Resolves once `check` holds; the test's timeout bounds the wait. */
async function eventually(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 5));
}

describeEachDatabase("job worker", (env) => {
  test("runs jobs concurrently: a kind that never answers holds its share of slots, not the queue", {
    timeout: 30_000,
  }, async () => {
    const release = gate();
    const fastDone = gate();
    let slowStarted = 0;
    let slowDone = 0;
    const slow = defineJob<number>({
      name: "test.worker.slow",
      run: async () => {
        slowStarted += 1;
        await release.opened;
        slowDone += 1;
      },
    });
    const fast = defineJob<null>({ name: "test.worker.fast", run: async () => fastDone.open() });
    const registry = new JobRegistry().register(slow, fast);
    for (let i = 0; i < 4; i++) await enqueue(env().deps, slow, i);
    await enqueue(env().deps, fast, null);
    const worker = startWorker(env().deps, registry, { concurrency: 4, perKind: 2, pollMs: 5 });
    try {
      await fastDone.opened; // while the slow ones hang
      assert.equal(slowStarted, 2, "one kind takes at most its share of the slots");
      release.open();
      await eventually(() => slowDone === 4);
    } finally {
      release.open();
      await worker.stop();
    }
  });

  test("a running job's lease is renewed, so a long job is not taken for a crashed one", {
    timeout: 30_000,
  }, async () => {
    const release = gate();
    let runs = 0;
    const long = defineJob<null>({
      name: "test.worker.long",
      run: async () => {
        runs += 1;
        await release.opened;
      },
    });
    const registry = new JobRegistry().register(long);
    await enqueue(env().deps, long, null);
    const worker = startWorker(env().deps, registry, { pollMs: 5, renewEveryMs: 5 });
    const lockedUntil = async () =>
      Number(
        (await env().deps.db.selectFrom("jobs").select("lockedUntil").where("name", "=", long.name).executeTakeFirst())
          ?.lockedUntil,
      );
    try {
      await eventually(() => runs === 1);
      env().clock.advance(2 * LEASE_MS);
      await eventually(async () => (await lockedUntil()) > env().clock.now());
      assert.equal(await runDueJobs(env().deps, registry), 0, "another worker does not take it");
    } finally {
      release.open();
      await worker.stop();
    }
    assert.equal(runs, 1);
  });

  test("after a crash, a job waits one short lease (a minute), not five", async () => {
    const release = gate();
    let runs = 0;
    const job = defineJob<null>({
      name: "test.worker.crashed",
      run: async () => {
        runs += 1;
        if (runs === 1) await release.opened; // the first worker hangs, as if it had died
      },
    });
    const registry = new JobRegistry().register(job);
    await enqueue(env().deps, job, null);
    const [row] = await env().deps.db.selectFrom("jobs").select("id").where("name", "=", job.name).execute();
    const dead = runJobsNow(env().deps, registry, [row.id]);
    await eventually(() => runs === 1);
    assert.equal(await runDueJobs(env().deps, registry), 0);
    env().clock.advance(60_001);
    assert.equal(await runDueJobs(env().deps, registry), 1, "taken over after a minute");
    assert.equal(runs, 2);
    release.open();
    await dead;
  });
});
