import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { buildUser, describeEachDatabase } from "../helpers.ts";
import { emailsTo, pendingResetJobs, runResetJobs, uniqueEmail } from "./support.ts";

/**
 * A reset request does the same work for an address with an account and one without (one rate-limit
 * hit, one queued job), so its answer and its time tell nothing; the job decides later. Checked by
 * what each request writes, not by a stopwatch.
 */
describeEachDatabase("a password-reset request queues one job for every address", (env) => {
  // Every request comes from 127.0.0.1: each test starts in fresh rate-limit windows.
  beforeEach(() => env().clock.advance(2 * 3600_000));

  const jobCount = async () =>
    Number(
      (
        await env()
          .deps.db.selectFrom("jobs")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const resetEmails = async (address: string) =>
    (await emailsTo(env(), address)).filter((mail) => mail.kind === "account.password_reset");

  test("known and unknown addresses: the same answer, one job each, an email only for the account", async () => {
    const known = await buildUser(env());
    const unknown = uniqueEmail();
    const answers = [];
    for (const email of [known.email, unknown]) {
      const before = await jobCount();
      const res = await env().api.post("/api/v1/auth/password-reset", { email });
      answers.push({ status: res.status, body: res.body });
      assert.equal(await jobCount(), before + 1, `exactly one job queued for ${email}`);
      assert.deepEqual(await resetEmails(email), [], "nothing is sent before the answer");
    }
    assert.deepEqual(answers[0], answers[1], "both answers are alike");
    assert.equal(answers[0].status, 202);
    assert.equal((await pendingResetJobs(env())).length, 2);

    await runResetJobs(env());
    assert.equal((await resetEmails(known.email)).length, 1, "the account gets its link");
    assert.deepEqual(await emailsTo(env(), unknown), [], "the unknown address gets nothing");
    assert.equal((await pendingResetJobs(env())).length, 0);
    const kept = await env()
      .deps.db.selectFrom("jobs")
      .select("payload")
      .where("name", "=", "accounts.passwordResetRequest")
      .execute();
    for (const email of [known.email, unknown])
      assert.ok(!kept.some((job) => job.payload.includes(email)), `the ended jobs do not keep ${email}`);
  });

  test("the HTML form answers alike too and queues one job each", async () => {
    const known = await buildUser(env());
    const unknown = uniqueEmail();
    const page = await env().app.inject({ method: "GET", url: "/password-reset" });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    const cookie = String(page.headers["set-cookie"] ?? "").split(";")[0];
    const answers = [];
    for (const email of [known.email, unknown]) {
      const before = await jobCount();
      const res = await env().app.inject({
        method: "POST",
        url: "/password-reset",
        headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
        payload: new URLSearchParams({ ...(csrf ? { _csrf: csrf } : {}), email }).toString(),
      });
      answers.push({ status: res.statusCode, location: res.headers.location, body: res.body });
      assert.equal(await jobCount(), before + 1, `exactly one job queued for ${email}`);
    }
    assert.deepEqual(answers[0], answers[1]);
    assert.equal(answers[0].location, "/password-reset?sent=1");
    await runResetJobs(env());
    assert.equal((await resetEmails(known.email)).length, 1);
    assert.deepEqual(await emailsTo(env(), unknown), []);
  });

  test("a job run again after a crash sends no second email", async () => {
    const user = await buildUser(env());
    assert.equal((await env().api.post("/api/v1/auth/password-reset", { email: user.email })).status, 202);
    const [job] = await pendingResetJobs(env());
    await runResetJobs(env());
    assert.equal((await resetEmails(user.email)).length, 1);
    // The worker died after the job's work committed, before the job was marked done: it runs again.
    await env()
      .deps.db.updateTable("jobs")
      .set({ status: "pending", finishedAt: null })
      .where("id", "=", job.id)
      .execute();
    await runResetJobs(env());
    assert.equal((await resetEmails(user.email)).length, 1, "still one email");
  });

  test("a flood of requests from many addresses sends an account at most three emails an hour", async () => {
    const user = await buildUser(env());
    for (let i = 0; i < 8; i++) {
      const res = await env().app.inject({
        method: "POST",
        url: "/api/v1/auth/password-reset",
        remoteAddress: `198.51.100.${i + 1}`,
        payload: { email: user.email },
      });
      assert.equal(res.statusCode, 202);
    }
    assert.equal((await pendingResetJobs(env())).length, 8);
    await runResetJobs(env());
    assert.equal((await resetEmails(user.email)).length, 3);
    env().clock.advance(3600_000);
    assert.equal((await env().api.post("/api/v1/auth/password-reset", { email: user.email })).status, 202);
    await runResetJobs(env());
    assert.equal((await resetEmails(user.email)).length, 4, "the next hour, one more");
  });
});
