import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import {
  type ApiResponse,
  backendPid,
  buildUser,
  describeEachDatabase,
  TEST_PASSWORD,
  type TestUser,
  until,
} from "../helpers.ts";
import { NEW_PASSWORD, emailsTo, runResetJobs, tokenIn, uniqueEmail } from "./support.ts";

describeEachDatabase("an emailed link opened as the account is deleted", (env) => {
  /** How many sessions wait, directly or in a queue, on the session `holder` (a backend's pid). */
  async function waitingBehind(holder: number): Promise<number> {
    const { rows } = await sql<{ n: number }>`with recursive blocked(pid) as (
        select pid from pg_stat_activity where ${holder} = any(pg_blocking_pids(pid))
        union
        select a.pid from pg_stat_activity a join blocked b on b.pid = any(pg_blocking_pids(a.pid))
      ) select count(*)::int as n from blocked`.execute(env().deps.db);
    return rows[0].n;
  }

  /** The link's use, lined up behind the account's deletion for the account's row. */
  async function behindDeletion(user: TestUser, useLink: () => Promise<ApiResponse>) {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = (_pid: number) => {};
    const held = new Promise<number>((resolve) => {
      holding = resolve;
    });
    const holder = env()
      .deps.db.transaction()
      .execute(async (trx) => {
        await sql`select id from users where id = ${user.id} for update`.execute(trx);
        holding(await backendPid(trx));
        await released;
      });
    const holderPid = await held;
    const deletion = env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, user.auth);
    await until("the deletion waits for the account's row", async () => (await waitingBehind(holderPid)) >= 1);
    const used = useLink();
    await until("the link's use waits for it too", async () => (await waitingBehind(holderPid)) >= 2);
    release();
    await holder;
    const [deleted, refused] = await Promise.all([deletion, used]);
    assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
    return refused;
  }

  const deletedRow = (user: TestUser) =>
    env()
      .deps.db.selectFrom("users")
      .select(["email", "passwordHash", "deletedAt"])
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();

  test("a password reset: the deletion goes first, the link is refused (422), nothing deadlocks", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const user = await buildUser(env());
    env().clock.advance(2 * 3600_000);
    assert.equal((await env().api.post("/api/v1/auth/password-reset", { email: user.email })).status, 202);
    await runResetJobs(env());
    const token = tokenIn((await emailsTo(env(), user.email))[0].textBody, "/password-reset");
    const refused = await behindDeletion(user, () =>
      env().api.post("/api/v1/auth/password-reset/confirm", { token, password: NEW_PASSWORD }),
    );
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.ok(refused.body.error.fields.token);
    const row = await deletedRow(user);
    assert.notEqual(row.deletedAt, null);
    assert.equal(row.passwordHash, "!deleted", "the deleted account got no new password");
  });

  test("a move to a new address: the deletion goes first, the link is refused (422), nothing deadlocks", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const user = await buildUser(env());
    env().clock.advance(2 * 3600_000);
    const next = uniqueEmail();
    assert.equal(
      (await env().api.put("/api/v1/me/email", { email: next, password: TEST_PASSWORD }, user.auth)).status,
      202,
    );
    const token = tokenIn((await emailsTo(env(), next))[0].textBody, "/verify-email");
    const refused = await behindDeletion(user, () => env().api.post("/api/v1/auth/verify-email", { token }));
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.ok(refused.body.error.fields.token);
    assert.equal((await deletedRow(user)).email, `deleted-${user.id}@deleted.invalid`, "the new address stays free");
  });
});
