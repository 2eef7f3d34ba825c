import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "../../src/core/config.ts";
import { TEST_PASSWORD, buildUser, describeEachDatabase, type ApiResponse } from "../helpers.ts";

let sequence = 0;
const uniqueEmail = () => `acct${++sequence}-${Date.now()}@example.test`;

/** The session cookie a response sets, as a browser would send it back. */
function sessionCookie(res: ApiResponse): string {
  const header = res.headers["set-cookie"];
  const all = Array.isArray(header) ? header : [String(header ?? "")];
  const session = all.find((c) => c.startsWith("cs_session="));
  assert.ok(session, `expected a cs_session cookie, got ${JSON.stringify(header)}`);
  return session.split(";")[0];
}

function assertErrorShape(body: any, code: string): void {
  assert.equal(typeof body?.error, "object", `expected an error body, got ${JSON.stringify(body)}`);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, "string");
  assert.ok(body.error.message.length > 0);
}

describeEachDatabase("accounts API", (env) => {
  // Signups and logins are rate limited per IP and every request here comes from 127.0.0.1:
  // each test starts in a fresh window.
  beforeEach(() => env().clock.advance(2 * 3600_000));

  test("signup returns 201 with the user, sets a session and never leaks the password hash", async () => {
    const email = uniqueEmail();
    const res = await env().api.post("/api/v1/auth/signup", {
      email: `  ${email.toUpperCase()} `,
      password: "s3cret-enough",
      name: "Ada",
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.user.email, email, "email is trimmed and lower-cased");
    assert.equal(res.body.user.name, "Ada");
    assert.equal(res.body.user.isPlatformAdmin, false);
    assert.equal(typeof res.body.user.id, "number");
    const text = JSON.stringify(res.body);
    assert.doesNotMatch(text, /password|hash|scrypt/i);
    assert.doesNotMatch(text, /s3cret-enough/);
    const me = await env().api.get("/api/v1/me", { cookie: sessionCookie(res) });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.id, res.body.user.id);
  });

  test("the password is stored as a salted scrypt hash", async () => {
    const email = uniqueEmail();
    await env().api.post("/api/v1/auth/signup", { email, password: "s3cret-enough", name: "Hash" });
    const other = uniqueEmail();
    await env().api.post("/api/v1/auth/signup", { email: other, password: "s3cret-enough", name: "Hash 2" });
    const rows = await env()
      .deps.db.selectFrom("users")
      .select(["email", "passwordHash"])
      .where("email", "in", [email, other])
      .execute();
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.match(row.passwordHash, /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      assert.ok(!row.passwordHash.includes("s3cret-enough"));
    }
    assert.notEqual(rows[0].passwordHash, rows[1].passwordHash, "each hash has its own salt");
  });

  test("common passwords are refused at signup, whatever their letter case", async () => {
    for (const password of ["12345678", "Password1", "QWERTYUIOP", "iloveyou"]) {
      const res = await env().api.post("/api/v1/auth/signup", { email: uniqueEmail(), password, name: "Weak" });
      assert.equal(res.status, 422, password);
      assert.ok(res.body.error.fields.password, password);
    }
  });

  test("a duplicate signup (in any letter case) is 409 and creates no second user", async () => {
    const email = uniqueEmail();
    const first = await env().api.post("/api/v1/auth/signup", { email, password: "s3cret-enough", name: "First" });
    assert.equal(first.status, 201);
    const again = await env().api.post("/api/v1/auth/signup", {
      email: email.toUpperCase(),
      password: "another-one",
      name: "Second",
    });
    assert.equal(again.status, 409);
    assertErrorShape(again.body, "conflict");
    const count = await env()
      .deps.db.selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
  });

  test("an invalid email, a short password or a missing name is 422 with field errors", async () => {
    const res = await env().api.post("/api/v1/auth/signup", { email: "not-an-email", password: "short", name: "" });
    assert.equal(res.status, 422);
    assertErrorShape(res.body, "validation_failed");
    assert.deepEqual(Object.keys(res.body.error.fields).sort(), ["email", "name", "password"]);
    const onlyPassword = await env().api.post("/api/v1/auth/signup", {
      email: uniqueEmail(),
      password: "1234567",
      name: "Seven",
    });
    assert.equal(onlyPassword.status, 422);
    assert.deepEqual(Object.keys(onlyPassword.body.error.fields), ["password"]);
  });

  test("a name is one line: line breaks, controls and bidi overrides are refused, at signup and later", async () => {
    for (const name of ["Mallory\nBcc: everyone@example.com", "Mallory\u202etxt.exe", "Tab\there"]) {
      const res = await env().api.post("/api/v1/auth/signup", {
        email: uniqueEmail(),
        password: "s3cret-enough",
        name,
      });
      assert.equal(res.status, 422, JSON.stringify(name));
      assert.deepEqual(Object.keys(res.body.error.fields), ["name"]);
    }
    const user = await buildUser(env());
    const renamed = await env().api.patch("/api/v1/me", { name: "Eve\r\nSubject: forged" }, user.auth);
    assert.equal(renamed.status, 422);
    const ok = await env().api.patch("/api/v1/me", { name: "Zoë Müller-Łukasz 山田" }, user.auth);
    assert.equal(ok.status, 200, "letters of any script stay welcome");
  });

  test("login with the right password returns the user and a working session cookie", async () => {
    const user = await buildUser(env());
    const res = await env().api.post("/api/v1/auth/login", {
      email: user.email.toUpperCase(),
      password: TEST_PASSWORD,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.user.id, user.id);
    assert.doesNotMatch(JSON.stringify(res.body), /hash|scrypt/i);
    const setCookie = String(res.headers["set-cookie"]);
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Lax/i);
    const me = await env().api.get("/api/v1/me", { cookie: sessionCookie(res) });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.email, user.email);
  });

  test("a wrong password and an unknown email get the same 401", async () => {
    const user = await buildUser(env());
    const wrong = await env().api.post("/api/v1/auth/login", { email: user.email, password: "not-the-password" });
    const unknown = await env().api.post("/api/v1/auth/login", { email: uniqueEmail(), password: TEST_PASSWORD });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assertErrorShape(wrong.body, "unauthorized");
    assert.deepEqual(unknown.body, wrong.body);
    assert.equal(wrong.headers["set-cookie"], undefined);
  });

  test("logout ends the session: the cookie no longer authenticates", async () => {
    const user = await buildUser(env());
    const login = await env().api.post("/api/v1/auth/login", { email: user.email, password: TEST_PASSWORD });
    const cookie = sessionCookie(login);
    assert.equal((await env().api.get("/api/v1/me", { cookie })).status, 200);
    const out = await env().api.post("/api/v1/auth/logout", {}, { cookie });
    assert.equal(out.status, 200);
    assert.match(String(out.headers["set-cookie"]), /cs_session=;/);
    const after = await env().api.get("/api/v1/me", { cookie });
    assert.equal(after.status, 401);
    // The user's other sessions are untouched.
    assert.equal((await env().api.get("/api/v1/me", { cookie: user.cookie })).status, 200);
  });

  test("a personal API token is created once (201) and then authenticates as Bearer", async () => {
    const user = await buildUser(env());
    const created = await env().api.post("/api/v1/tokens", { name: "import script" }, { cookie: user.cookie });
    assert.equal(created.status, 201);
    assert.equal(typeof created.body.token, "string");
    assert.ok(created.body.token.length >= 32);
    const me = await env().api.get("/api/v1/me", { token: created.body.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.id, user.id);
    assert.ok(Array.isArray(me.body.memberships));
    const stored = await env()
      .deps.db.selectFrom("apiTokens")
      .select("tokenHash")
      .where("userId", "=", user.id)
      .execute();
    assert.ok(
      stored.every((row) => row.tokenHash !== created.body.token),
      "only a hash of the token is stored",
    );
  });

  test("creating a token needs a login and a name", async () => {
    const anonymous = await env().api.post("/api/v1/tokens", { name: "x" });
    assert.equal(anonymous.status, 401);
    assertErrorShape(anonymous.body, "unauthorized");
    const user = await buildUser(env());
    const unnamed = await env().api.post("/api/v1/tokens", { name: "  " }, user.auth);
    assert.equal(unnamed.status, 422);
    assert.ok(unnamed.body.error.fields.name);
  });

  test("an invalid bearer token is 401, even on a public endpoint", async () => {
    for (const token of ["cs_not-a-real-token", "garbage"]) {
      const me = await env().api.get("/api/v1/me", { token });
      assert.equal(me.status, 401, token);
      assertErrorShape(me.body, "unauthorized");
      const list = await env().api.get("/api/v1/communities", { token });
      assert.equal(list.status, 401, token);
    }
  });

  test("/me without authentication is 401; an unknown session cookie is anonymous", async () => {
    const res = await env().api.get("/api/v1/me");
    assert.equal(res.status, 401);
    assertErrorShape(res.body, "unauthorized");
    const stale = await env().api.get("/api/v1/me", { cookie: "cs_session=forged" });
    assert.equal(stale.status, 401);
  });

  test("a session expires after its lifetime", async () => {
    const user = await buildUser(env());
    env().clock.advance(31 * 24 * 3600_000);
    assert.equal((await env().api.get("/api/v1/me", { cookie: user.cookie })).status, 401);
    // API tokens do not expire with sessions.
    assert.equal((await env().api.get("/api/v1/me", user.auth)).status, 200);
  });

  test("a malformed JSON body is 400 with the error shape", async () => {
    const res = await env().app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      headers: { "content-type": "application/json" },
      payload: '{"email": "a@example.test", "password":',
    });
    assert.equal(res.statusCode, 400);
    assert.match(String(res.headers["content-type"]), /application\/json/);
    assertErrorShape(res.json(), "bad_request");
    assert.equal(res.json().error.fields, undefined);
  });
});

describeEachDatabase(
  "accounts API: login rate limit",
  (env) => {
    test("login attempts past the limit get 429, even with the right password, until the window passes", async () => {
      const user = await buildUser(env());
      for (let i = 0; i < 3; i++) {
        const res = await env().api.post("/api/v1/auth/login", { email: user.email, password: "wrong-password" });
        assert.equal(res.status, 401, `attempt ${i + 1}`);
      }
      const limited = await env().api.post("/api/v1/auth/login", { email: user.email, password: TEST_PASSWORD });
      assert.equal(limited.status, 429);
      assertErrorShape(limited.body, "rate_limited");
      assert.equal(limited.headers["set-cookie"], undefined);
      env().clock.advance(60_000);
      const later = await env().api.post("/api/v1/auth/login", { email: user.email, password: TEST_PASSWORD });
      assert.equal(later.status, 200);
    });
  },
  { rateLimits: { ...loadConfig({}).rateLimits, login: { max: 3, windowMs: 60_000 } } },
);
