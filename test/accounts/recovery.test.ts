import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "../../src/core/config.ts";
import { TEST_PASSWORD, buildUser, describeEachDatabase } from "../helpers.ts";
import { authenticate, createSession } from "../../src/accounts/accounts.service.ts";
import { NEW_PASSWORD, emailsTo, runResetJobs, sessionCookie, tokenIn, uniqueEmail } from "./support.ts";

describeEachDatabase(
  "password reset by email",
  (env) => {
    // Every request comes from 127.0.0.1: each test starts in fresh rate-limit windows.
    beforeEach(() => env().clock.advance(2 * 3600_000));

    async function resetLink(email: string): Promise<string> {
      const res = await env().api.post("/api/v1/auth/password-reset", { email });
      assert.equal(res.status, 202);
      await runResetJobs(env());
      const [mail] = await emailsTo(env(), email);
      assert.ok(mail, "a reset email is queued");
      return tokenIn(mail.textBody, "/password-reset");
    }

    test("a new password, or a move to another address, voids the links sent before", async () => {
      const user = await buildUser(env());
      // A hijacked session asks to move the account to the attacker's address...
      const attacker = uniqueEmail();
      const move = await env().api.put("/api/v1/me/email", { email: attacker, password: TEST_PASSWORD }, user.auth);
      assert.equal(move.status, 202);
      const [moveMail] = await emailsTo(env(), attacker);
      const stolen = tokenIn(moveMail.textBody, "/verify-email");
      assert.match(String(moveMail.htmlBody), /^<!doctype html><html lang="en">/, "the email says its language");
      // ...the owner resets the password; the pending move no longer works.
      const reset = await resetLink(user.email);
      const done = await env().api.post("/api/v1/auth/password-reset/confirm", {
        token: reset,
        password: NEW_PASSWORD,
      });
      assert.equal(done.status, 200);
      assert.equal((await env().api.post("/api/v1/auth/verify-email", { token: stolen })).status, 422);

      // A reset link sent to the old address stops working once the account moved.
      const relogin = await env().api.post("/api/v1/auth/login", { email: user.email, password: NEW_PASSWORD });
      const cookie = sessionCookie(relogin);
      env().clock.advance(2 * 3600_000);
      const old = await resetLink(user.email);
      const next = uniqueEmail();
      const moved = await env().api.put("/api/v1/me/email", { email: next, password: NEW_PASSWORD }, { cookie });
      assert.equal(moved.status, 202);
      const moving = tokenIn((await emailsTo(env(), next))[0].textBody, "/verify-email");
      assert.equal((await env().api.post("/api/v1/auth/verify-email", { token: moving })).status, 200);
      const late = await env().api.post("/api/v1/auth/password-reset/confirm", {
        token: old,
        password: "yet-another-pass",
      });
      assert.equal(late.status, 422);
    });

    test("a reset ends the account's login lockout; the counters hold no email address", async () => {
      const user = await buildUser(env());
      const login = (password: string) => env().api.post("/api/v1/auth/login", { email: user.email, password });
      for (let i = 0; i < 5; i++) assert.equal((await login("wrong-password")).status, 401);
      assert.equal((await login(TEST_PASSWORD)).status, 429, "locked out");
      const typed = uniqueEmail();
      await env().api.post("/api/v1/auth/login", { email: typed, password: "wrong-password" });
      const moveTo = uniqueEmail();
      const move = await env().api.put("/api/v1/me/email", { email: moveTo, password: TEST_PASSWORD }, user.auth);
      assert.equal(move.status, 202);
      const keys = (await env().deps.db.selectFrom("rateLimits").select("key").execute()).map((r) => r.key);
      for (const address of [user.email, typed, moveTo])
        assert.ok(!keys.some((key) => key.includes(address.split("@")[0])), `no counter names ${address}`);
      assert.ok(
        keys.some((key) => key.startsWith("login-failures:")),
        "the lockout is still counted",
      );

      const token = await resetLink(user.email);
      const done = await env().api.post("/api/v1/auth/password-reset/confirm", { token, password: NEW_PASSWORD });
      assert.equal(done.status, 200);
      assert.equal((await login(NEW_PASSWORD)).status, 200, "the owner who proved the address is let in");
    });

    test("an unknown address gets the same 202 and no email", async () => {
      const email = uniqueEmail();
      const res = await env().api.post("/api/v1/auth/password-reset", { email });
      assert.equal(res.status, 202);
      await runResetJobs(env());
      assert.deepEqual(await emailsTo(env(), email), []);
    });

    test("the link sets a new password and ends every session and API token; it works once", async () => {
      const user = await buildUser(env());
      const token = await resetLink(user.email);
      const [mail] = await emailsTo(env(), user.email);
      assert.equal(mail.subject, "Reset your password");

      const done = await env().api.post("/api/v1/auth/password-reset/confirm", { token, password: NEW_PASSWORD });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal((await env().api.get("/api/v1/me", { cookie: user.cookie })).status, 401, "the session ended");
      assert.equal((await env().api.get("/api/v1/me", user.auth)).status, 401, "the API token was revoked");

      const oldLogin = await env().api.post("/api/v1/auth/login", { email: user.email, password: TEST_PASSWORD });
      assert.equal(oldLogin.status, 401);
      const login = await env().api.post("/api/v1/auth/login", { email: user.email, password: NEW_PASSWORD });
      assert.equal(login.status, 200);

      const again = await env().api.post("/api/v1/auth/password-reset/confirm", {
        token,
        password: "another-passphrase",
      });
      assert.equal(again.status, 422, "a used link is refused");
      assert.ok(again.body.error.fields.token);
      const still = await env().api.post("/api/v1/auth/login", { email: user.email, password: NEW_PASSWORD });
      assert.equal(still.status, 200, "the reused link changed nothing");
      assert.equal((await env().api.get("/api/v1/me", { cookie: sessionCookie(still) })).status, 200);
    });

    test("a login whose password check overlaps the reset leaves no session behind", async () => {
      // Deterministic: the old password was checked, then the reset ran, then the session would begin.
      const user = await buildUser(env());
      const checked = await authenticate(env().deps, { email: user.email, password: TEST_PASSWORD, ip: "127.0.0.9" });
      const token = await resetLink(user.email);
      const done = await env().api.post("/api/v1/auth/password-reset/confirm", { token, password: NEW_PASSWORD });
      assert.equal(done.status, 200);
      await assert.rejects(createSession(env().deps, user.id, undefined, checked.passwordHash), {
        code: "unauthorized",
      });
      // Over HTTP, a login sent at the same time as the reset either fails or its session ends with the others.
      for (let i = 0; i < 3; i++) {
        const other = await buildUser(env());
        const link = await resetLink(other.email);
        const [login, reset] = await Promise.all([
          env().api.post("/api/v1/auth/login", { email: other.email, password: TEST_PASSWORD }),
          env().api.post("/api/v1/auth/password-reset/confirm", { token: link, password: NEW_PASSWORD }),
        ]);
        assert.equal(reset.status, 200);
        if (login.status === 200)
          assert.equal((await env().api.get("/api/v1/me", { cookie: sessionCookie(login) })).status, 401);
        else assert.equal(login.status, 401);
      }
    });

    test("a link older than an hour is refused", async () => {
      const user = await buildUser(env());
      const token = await resetLink(user.email);
      env().clock.advance(61 * 60_000);
      const res = await env().api.post("/api/v1/auth/password-reset/confirm", { token, password: NEW_PASSWORD });
      assert.equal(res.status, 422);
      assert.ok(res.body.error.fields.token);
      const login = await env().api.post("/api/v1/auth/login", { email: user.email, password: TEST_PASSWORD });
      assert.equal(login.status, 200, "the password is unchanged");
    });

    test("forged, tampered and other-purpose tokens are refused on fields.token", async () => {
      const user = await buildUser(env());
      const token = await resetLink(user.email);
      const [secret, signature] = token.split(".");
      for (const bad of ["nonsense", `${secret}.AAAA${signature.slice(4)}`, `${secret}x.${signature}`, `${token}.x`]) {
        const res = await env().api.post("/api/v1/auth/password-reset/confirm", { token: bad, password: NEW_PASSWORD });
        assert.equal(res.status, 422, bad);
        assert.ok(res.body.error.fields.token, bad);
      }
      // A reset token is no email-verification token, and the other way round.
      const verify = await env().api.post("/api/v1/auth/verify-email", { token });
      assert.equal(verify.status, 422);
      const ok = await env().api.post("/api/v1/auth/password-reset/confirm", { token, password: NEW_PASSWORD });
      assert.equal(ok.status, 200, "the real token still works after the refusals");
    });

    test("a new request replaces the previous link; a weak password is refused without using the link", async () => {
      const user = await buildUser(env());
      const first = await resetLink(user.email);
      const second = await resetLink(user.email);
      const old = await env().api.post("/api/v1/auth/password-reset/confirm", { token: first, password: NEW_PASSWORD });
      assert.equal(old.status, 422);
      const weak = await env().api.post("/api/v1/auth/password-reset/confirm", { token: second, password: "12345678" });
      assert.equal(weak.status, 422);
      assert.ok(weak.body.error.fields.password);
      const ok = await env().api.post("/api/v1/auth/password-reset/confirm", { token: second, password: NEW_PASSWORD });
      assert.equal(ok.status, 200);
    });

    test("one address gets at most three reset emails an hour, and the answer stays 202", async () => {
      const user = await buildUser(env());
      for (let i = 0; i < 5; i++) {
        const res = await env().api.post("/api/v1/auth/password-reset", { email: user.email });
        assert.equal(res.status, 202);
      }
      await runResetJobs(env());
      assert.equal((await emailsTo(env(), user.email)).length, 3);
    });

    test("requests per IP are limited alike for known and unknown addresses", async () => {
      const known = await buildUser(env());
      const answers: number[] = [];
      for (let i = 0; i < 7; i++) {
        const email = i % 2 === 0 ? known.email : uniqueEmail();
        answers.push((await env().api.post("/api/v1/auth/password-reset", { email })).status);
      }
      assert.deepEqual(answers, [202, 202, 202, 202, 202, 202, 429]);
    });
  },
  { rateLimits: { ...loadConfig({}).rateLimits, passwordReset: { max: 6, windowMs: 3600_000 } } },
);
