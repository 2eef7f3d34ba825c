import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import { defineJob, enqueue, JobRegistry, runDueJobs } from "../../src/jobs/jobs.ts";

describeEachDatabase("a job that throws something other than an Error", (env) => {
  const failing = async (name: string, thrown: unknown) => {
    const job = defineJob<null>({
      name,
      attempts: 2,
      backoffMs: () => 1000,
      run: async () => {
        throw thrown;
      },
    });
    const registry = new JobRegistry().register(job);
    await enqueue(env().deps, job, null);
    return registry;
  };
  const row = (name: string) =>
    env().deps.db.selectFrom("jobs").selectAll().where("name", "=", name).executeTakeFirstOrThrow();

  test("a null-prototype object is recorded and retried after the backoff, not left running", async () => {
    const thrown = Object.assign(Object.create(null), { code: "E_REMOTE" });
    const registry = await failing("test.nullProto", thrown);
    // String() cannot convert it: the failure used to escape and leave the job claimed.
    assert.equal(await runDueJobs(env().deps, registry), 1);
    const first = await row("test.nullProto");
    assert.equal(first.status, "pending");
    assert.equal(first.lockedUntil, null);
    assert.match(first.lastError ?? "", /E_REMOTE/);
    env().clock.advance(1000);
    assert.equal(await runDueJobs(env().deps, registry), 1);
    assert.equal((await row("test.nullProto")).status, "failed");
  });

  test("an error with a NUL byte (which PostgreSQL refuses in text) is recorded and retried, not left running", async () => {
    const registry = await failing("test.nulByte", new Error("receiver said bad\u0000byte"));
    assert.equal(await runDueJobs(env().deps, registry), 1);
    const first = await row("test.nulByte");
    assert.equal(first.status, "pending");
    assert.equal(first.lockedUntil, null);
    assert.match(first.lastError ?? "", /^receiver said bad.byte$/);
  });

  test("a plain object, a string and undefined each leave a readable lastError", async () => {
    const cases: [string, unknown, RegExp][] = [
      ["test.plainObject", { reason: "quota" }, /quota/],
      ["test.string", "remote said no", /^remote said no$/],
      ["test.undefined", undefined, /^undefined$/],
    ];
    for (const [name, thrown, expected] of cases) {
      const registry = await failing(name, thrown);
      assert.equal(await runDueJobs(env().deps, registry), 1);
      const job = await row(name);
      assert.equal(job.status, "pending", name);
      assert.match(job.lastError ?? "", expected, name);
    }
  });
});
