import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { TEST_PASSWORD, buildCommunity, buildUser, describeEachDatabase, type TestUser } from "../helpers.ts";
import { NEW_PASSWORD, emailsTo, sessionCookie, signUp, tokenIn, uniqueEmail } from "./support.ts";
import { createApiToken } from "../../src/accounts/accounts.service.ts";
import { issueLink } from "../../src/accounts/accounts.links.ts";

describeEachDatabase("the member's own account", (env) => {
  beforeEach(() => env().clock.advance(2 * 3600_000));

  const login = async (user: { email: string }, password = TEST_PASSWORD, userAgent?: string) => {
    const res = await env().app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      headers: { "content-type": "application/json", ...(userAgent ? { "user-agent": userAgent } : {}) },
      payload: JSON.stringify({ email: user.email, password }),
    });
    assert.equal(res.statusCode, 200, res.body);
    return { cookie: sessionCookie({ status: res.statusCode, body: null, headers: res.headers }) };
  };

  test("GET /me keeps its fields and adds language, verification and avatar; PATCH changes name and language", async () => {
    const user = await buildUser(env());
    const before = await env().api.get("/api/v1/me", user.auth);
    assert.equal(before.status, 200);
    assert.deepEqual(Object.keys(before.body).sort(), ["memberships", "user"]);
    for (const key of ["id", "name", "email", "isPlatformAdmin", "locale", "createdAt", "language", "emailVerified"])
      assert.ok(key in before.body.user, key);
    assert.equal(before.body.user.avatar, null);

    const patched = await env().api.patch("/api/v1/me", { name: "  Renamed Rita ", language: "de" }, user.auth);
    assert.equal(patched.status, 200);
    assert.equal(patched.body.user.name, "Renamed Rita");
    assert.equal(patched.body.user.language, "de");
    const invalid = await env().api.patch("/api/v1/me", { language: "xx", name: "" }, user.auth);
    assert.equal(invalid.status, 422);
    assert.ok(invalid.body.error.fields.language && invalid.body.error.fields.name);

    // The chosen language wins over the browser's.
    const page = await env().app.inject({
      method: "GET",
      url: "/",
      headers: { cookie: user.cookie, "accept-language": "fr-CH,fr;q=0.9" },
    });
    assert.match(page.body, /<html lang="de">/);
    const reset = await env().api.patch("/api/v1/me", { language: null }, user.auth);
    assert.equal(reset.body.user.language, null);
    const browser = await env().app.inject({
      method: "GET",
      url: "/",
      headers: { cookie: user.cookie, "accept-language": "fr-CH,fr;q=0.9" },
    });
    assert.match(browser.body, /<html lang="fr">/);
  });

  test("a password change needs the current one (403), ends the other sessions and revokes API tokens", async () => {
    const user = await buildUser(env());
    const here = await login(user);
    const wrong = await env().api.put(
      "/api/v1/me/password",
      { currentPassword: "not-my-password", password: NEW_PASSWORD },
      here,
    );
    assert.equal(wrong.status, 403);
    const weak = await env().api.put(
      "/api/v1/me/password",
      { currentPassword: TEST_PASSWORD, password: "password" },
      here,
    );
    assert.equal(weak.status, 422);
    const ok = await env().api.put(
      "/api/v1/me/password",
      { currentPassword: TEST_PASSWORD, password: NEW_PASSWORD },
      here,
    );
    assert.equal(ok.status, 200);
    assert.equal((await env().api.get("/api/v1/me", here)).status, 200, "the session that changed it stays");
    assert.equal((await env().api.get("/api/v1/me", { cookie: user.cookie })).status, 401, "the other session ended");
    assert.equal((await env().api.get("/api/v1/me", user.auth)).status, 401, "the token was revoked");
    await login(user, NEW_PASSWORD);
  });

  test("an email change is confirmed by a link to the new address, and the old one is told", async () => {
    const user = await buildUser(env());
    const other = await buildUser(env());
    const taken = await env().api.put("/api/v1/me/email", { email: other.email, password: TEST_PASSWORD }, user.auth);
    assert.equal(taken.status, 409, "an email already taken");
    const wrong = await env().api.put("/api/v1/me/email", { email: uniqueEmail(), password: "nope-nope" }, user.auth);
    assert.equal(wrong.status, 403);
    const same = await env().api.put("/api/v1/me/email", { email: user.email, password: TEST_PASSWORD }, user.auth);
    assert.equal(same.status, 422);

    const next = uniqueEmail();
    const res = await env().api.put(
      "/api/v1/me/email",
      { email: next.toUpperCase(), password: TEST_PASSWORD },
      user.auth,
    );
    assert.equal(res.status, 202);
    assert.equal((await env().api.get("/api/v1/me", user.auth)).body.user.email, user.email, "not changed yet");
    const [toOld] = await emailsTo(env(), user.email);
    assert.match(toOld.textBody, new RegExp(next.replace(/[.]/g, "\\.")));
    assert.doesNotMatch(toOld.textBody, /verify-email/, "the old address gets no link");
    const [toNew] = await emailsTo(env(), next);
    const token = tokenIn(toNew.textBody, "/verify-email");

    const confirmed = await env().api.post("/api/v1/auth/verify-email", { token });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    const me = await env().api.get("/api/v1/me", user.auth);
    assert.equal(me.body.user.email, next);
    assert.equal(me.body.user.emailVerified, true);
    await login({ email: next });
    const reused = await env().api.post("/api/v1/auth/verify-email", { token });
    assert.equal(reused.status, 422);
    assert.ok(reused.body.error.fields.token);
  });

  test("link emails on request are capped: 3 an hour for a verification again, and for moves to one address", async () => {
    const vera = await signUp(env());
    const resend = () => env().api.post("/api/v1/me/email/verification", {}, vera.cookie);
    const resent = [];
    for (let i = 0; i < 4; i++) resent.push((await resend()).status);
    assert.deepEqual(resent, [202, 202, 202, 429]);
    assert.equal((await emailsTo(env(), vera.email)).length, 4, "the signup's email and three more");

    const user = await buildUser(env());
    const target = uniqueEmail();
    const moves = [];
    for (let i = 0; i < 4; i++)
      moves.push(
        (await env().api.put("/api/v1/me/email", { email: target, password: TEST_PASSWORD }, user.auth)).status,
      );
    assert.deepEqual(moves, [202, 202, 202, 429]);
    assert.equal((await emailsTo(env(), target)).length, 3);
    env().clock.advance(3600_000);
    assert.equal((await resend()).status, 202, "an hour later it is sent again");
  });

  test("a move whose link is opened as the account is deleted leaves the address free", async () => {
    const user = await buildUser(env());
    const next = uniqueEmail();
    await env().api.put("/api/v1/me/email", { email: next, password: TEST_PASSWORD }, user.auth);
    const token = tokenIn((await emailsTo(env(), next))[0].textBody, "/verify-email");
    // The deletion commits after the link was taken (its rows still there), before the address moves.
    await env()
      .deps.db.updateTable("users")
      .set({ email: `deleted-${user.id}@deleted.invalid`, deletedAt: env().clock.now() })
      .where("id", "=", user.id)
      .execute();
    const res = await env().api.post("/api/v1/auth/verify-email", { token });
    assert.equal(res.status, 422);
    assert.ok(res.body.error.fields.token);
    const row = await env()
      .deps.db.selectFrom("users")
      .select("email")
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.email, `deleted-${user.id}@deleted.invalid`);
    const signup = await env().api.post("/api/v1/auth/signup", { email: next, password: "s3cret-enough", name: "New" });
    assert.equal(signup.status, 201, JSON.stringify(signup.body));
  });

  test("an address taken between the request and the link's opening is refused (409)", async () => {
    const user = await buildUser(env());
    const next = uniqueEmail();
    await env().api.put("/api/v1/me/email", { email: next, password: TEST_PASSWORD }, user.auth);
    const token = tokenIn((await emailsTo(env(), next))[0].textBody, "/verify-email");
    await signUp(env(), "Quick Quentin").then(async (q) => {
      await env().deps.db.updateTable("users").set({ email: next }).where("id", "=", q.id).execute();
    });
    const res = await env().api.post("/api/v1/auth/verify-email", { token });
    assert.equal(res.status, 409);
    assert.equal((await env().api.get("/api/v1/me", user.auth)).body.user.email, user.email);
  });

  test("a token a stolen session mints while its sessions end does not outlive them", async () => {
    // Deterministic: the session was checked, then the owner logged out everywhere, then the token would be made.
    const user = await buildUser(env());
    const session = user.cookie.slice("cs_session=".length);
    const owner = await login(user);
    assert.equal((await env().api.request("DELETE", "/api/v1/me/sessions", {}, owner)).status, 200);
    await assert.rejects(
      createApiToken(env().deps, user.id, { name: "late", scope: "write", expiresAt: null }, session),
      { code: "unauthorized" },
    );
    // Over HTTP: a session minting tokens without pause while the owner logs out everywhere, or resets the password.
    for (const end of ["logout", "reset"] as const) {
      const victim = await buildUser(env());
      const mine = await login(victim);
      const reset = await issueLink(env().deps.db, env().clock.now(), { userId: victim.id, purpose: "password_reset" });
      let ended = false;
      const minted: string[] = [];
      const mint = async () => {
        while (!ended) {
          const res = await env().api.post("/api/v1/tokens", { name: "kept" }, { cookie: victim.cookie });
          if (res.status === 201) minted.push(res.body.token);
        }
      };
      const minters = [mint(), mint(), mint()];
      await new Promise((resolve) => setTimeout(resolve, 20));
      const done = await (end === "logout"
        ? env().api.request("DELETE", "/api/v1/me/sessions", {}, mine)
        : env().api.post("/api/v1/auth/password-reset/confirm", { token: reset, password: NEW_PASSWORD }));
      ended = true;
      await Promise.all(minters);
      assert.equal(done.status, 200);
      for (const token of minted) assert.equal((await env().api.get("/api/v1/me", { token })).status, 401, end);
    }
  });

  test("sessions are listed with device and last seen; one ends, or all but the current one with the tokens", async () => {
    const user = await buildUser(env());
    const firefox = await login(
      user,
      TEST_PASSWORD,
      "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0",
    );
    const phone = await login(
      user,
      TEST_PASSWORD,
      "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
    );
    env().clock.advance(5 * 60_000);
    await env().api.get("/api/v1/me", phone);
    const list = await env().api.get("/api/v1/me/sessions", firefox);
    assert.equal(list.status, 200);
    assert.equal(list.body.sessions.length, 3);
    const [current, ...others] = list.body.sessions;
    assert.equal(current.current, true);
    assert.equal(current.device, "Firefox on Windows");
    const android = others.find((s: { device: string }) => s.device === "Chrome on Android");
    assert.ok(android, JSON.stringify(others));
    assert.equal(android.lastSeenAt, new Date(env().clock.now()).toISOString());
    assert.doesNotMatch(JSON.stringify(list.body), /idHash/);

    // A cookie session's writes send JSON (or the CSRF header).
    const del = (url: string, auth: { cookie: string } | { token: string }) =>
      env().api.request("DELETE", url, {}, auth);
    const missing = await del("/api/v1/me/sessions/not-a-session", firefox);
    assert.equal(missing.status, 404);
    const stranger = await buildUser(env());
    assert.equal((await env().api.delete(`/api/v1/me/sessions/${android.id}`, stranger.auth)).status, 404);
    assert.equal((await del(`/api/v1/me/sessions/${android.id}`, firefox)).status, 200);
    assert.equal((await env().api.get("/api/v1/me", phone)).status, 401);
    assert.equal((await env().api.get("/api/v1/me", { cookie: user.cookie })).status, 200);

    assert.equal((await del("/api/v1/me/sessions", firefox)).status, 200);
    assert.equal((await env().api.get("/api/v1/me", { cookie: user.cookie })).status, 401, "log out everywhere");
    assert.equal((await env().api.get("/api/v1/me", user.auth)).status, 401, "and the API tokens are revoked");
    assert.equal((await env().api.get("/api/v1/me", firefox)).status, 200, "but not here");
    assert.equal((await env().api.get("/api/v1/me/sessions", firefox)).body.sessions.length, 1);
  });

  test("signup sends a verification link; the community decides whether unverified members post", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { staff: 1 } });
    const vera = await signUp(env());
    const me = await env().api.get("/api/v1/me", vera.cookie);
    assert.equal(me.body.user.emailVerified, false);
    const [mail] = await emailsTo(env(), vera.email);
    assert.equal(mail.subject, "Confirm your email address");
    const token = tokenIn(mail.textBody, "/verify-email");

    const topic = { kind: "question", title: "Unverified but curious", body: "Can I post before confirming?" };
    const allowed = await env().api.post(`/api/v1/communities/${slug}/topics`, topic, vera.cookie);
    assert.equal(allowed.status, 201, "by default unverified members may post");

    const byMember = await env().api.patch(
      `/api/v1/communities/${slug}/settings/accounts`,
      { unverifiedMayPost: false },
      vera.cookie,
    );
    assert.equal(byMember.status, 403);
    const set = await env().api.patch(
      `/api/v1/communities/${slug}/settings/accounts`,
      { unverifiedMayPost: false },
      admin.auth,
    );
    assert.equal(set.status, 200);
    assert.deepEqual(set.body.settings, { unverifiedMayPost: false });
    const staff = members.staff[0] as TestUser;
    assert.equal(
      (await env().api.get(`/api/v1/communities/${slug}/settings/accounts`, staff.auth)).body.settings
        .unverifiedMayPost,
      false,
    );

    const refused = await env().api.post(
      `/api/v1/communities/${slug}/topics`,
      { ...topic, title: "Second try here" },
      vera.cookie,
    );
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /Confirm your email/);
    const read = await env().api.get(`/api/v1/topics/${allowed.body.topic.id}`, vera.cookie);
    assert.equal(read.status, 200, "unverified members still read");

    // Staff see who is verified, on the member's profile.
    const profile = await env().app.inject({
      method: "GET",
      url: `/c/${slug}/u/${vera.id}`,
      headers: { cookie: staff.cookie },
    });
    assert.match(profile.body, /Email not verified/);
    const asMember = await env().app.inject({
      method: "GET",
      url: `/c/${slug}/u/${vera.id}`,
      headers: { cookie: vera.cookie.cookie },
    });
    assert.doesNotMatch(asMember.body, /Email (not )?verified/);

    const verified = await env().api.post("/api/v1/auth/verify-email", { token });
    assert.equal(verified.status, 200);
    assert.equal(verified.body.verified, vera.email);
    const posted = await env().api.post(
      `/api/v1/communities/${slug}/topics`,
      { ...topic, title: "Third try here" },
      vera.cookie,
    );
    assert.equal(posted.status, 201);
    const after = await env().app.inject({
      method: "GET",
      url: `/c/${slug}/u/${vera.id}`,
      headers: { cookie: staff.cookie },
    });
    assert.match(after.body, /Email verified/);
  });

  test("the verification link can be sent again, and the old one stops working", async () => {
    const vera = await signUp(env());
    const first = tokenIn((await emailsTo(env(), vera.email))[0].textBody, "/verify-email");
    assert.equal((await env().api.post("/api/v1/me/email/verification", {}, vera.cookie)).status, 202);
    const mails = await emailsTo(env(), vera.email);
    assert.equal(mails.length, 2);
    assert.equal((await env().api.post("/api/v1/auth/verify-email", { token: first })).status, 422);
    const second = tokenIn(mails[0].textBody, "/verify-email");
    assert.equal((await env().api.post("/api/v1/auth/verify-email", { token: second })).status, 200);
  });
});
