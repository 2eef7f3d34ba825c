import { test } from "node:test";
import assert from "node:assert/strict";
import { TEST_PASSWORD, buildCommunity, buildUser, describeEachDatabase } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";

describeEachDatabase("account pages", (env) => {
  const get = (url: string, headers: Record<string, string> = {}) => env().app.inject({ method: "GET", url, headers });

  test("the account page shows every section to its member, and asks anonymous visitors to log in", async () => {
    const user = await buildUser(env(), { name: "Paula Pages" });
    const page = await get("/me/account", { cookie: user.cookie });
    assert.equal(page.statusCode, 200);
    for (const text of [
      "Your account",
      'value="Paula Pages"',
      "Upload avatar",
      "As my browser says",
      user.email,
      "Change password",
      "Log out everywhere else",
      "Personal API tokens",
      "Export my data (JSON)",
      "Delete my account",
    ])
      assert.ok(page.body.includes(text), text);
    assert.match(page.body, /<span class="face face-xl face-hue-\d" aria-hidden="true">PP<\/span>/);
    assert.equal((await get("/me/account")).statusCode, 401);
  });

  test("the header menu holds the member's pages, in the community being viewed", async () => {
    const { slug } = await buildCommunity(env());
    const user = await buildUser(env());
    const home = await get("/", { cookie: user.cookie });
    for (const href of ["/me/profile", "/me/bookings", "/me/questions-for-you", "/me/notifications", "/me/account"])
      assert.ok(home.body.includes(`href="${href}"`), href);
    assert.match(home.body, /Log out/);
    const inCommunity = await get(`/c/${slug}`, { cookie: user.cookie });
    assert.ok(inCommunity.body.includes(`href="/c/${slug}/u/${user.id}"`));
    assert.ok(inCommunity.body.includes(`href="/c/${slug}/service-friends/mine"`));
  });

  test("anonymous visitors switch language with a cookie that wins over the browser's", async () => {
    const home = await get("/", { "accept-language": "en" });
    assert.match(home.body, /href="\/language\/de\?next=%2F"/);
    const set = await get("/language/it?next=/password-reset", { "accept-language": "en" });
    assert.equal(set.statusCode, 303);
    assert.equal(set.headers.location, "/password-reset");
    const cookie = String(set.headers["set-cookie"]).split(";")[0];
    assert.equal(cookie, "cs_lang=it");
    const italian = await get("/password-reset", { cookie, "accept-language": "en" });
    assert.match(italian.body, /<html lang="it">/);
    assert.match(italian.body, /Reimposta la password/);
    const english = await get("/password-reset", { "accept-language": "en" });
    assert.match(english.body, /<html lang="en">/, "the cached Italian page is not served to others");
    assert.equal((await get("/language/xx")).statusCode, 404);
    const away = await get("/language/de?next=https://evil.example/");
    assert.equal(away.headers.location, "/", "only local paths");
  });

  test("reset and verification links: an unusable reset link says so; a verification link asks before using it", async () => {
    const bad = await get("/password-reset/not.a-token");
    assert.equal(bad.statusCode, 200);
    assert.match(bad.body, /invalid, expired or already used/);
    assert.match(bad.body, /href="\/password-reset"/);
    const verify = await get("/verify-email/some.token");
    assert.match(verify.body, /<form method="post" action="\/verify-email\/some.token"/);
    const login = await get("/login");
    assert.match(login.body, /href="\/password-reset"/);
  });

  test("moving the account to the address it already has says so, in the member's language", async () => {
    const user = await buildUser(env());
    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", user.id).execute();
    const browser = await browse(env(), user);
    const same = await browser.submit("/me/account/email", { email: user.email, password: TEST_PASSWORD });
    assert.equal(same.status, 422);
    assert.match(same.body, /class="field-error" id="email-email-error">[^<]*Das ist bereits deine E-Mail-Adresse/);
    const api = await env().api.put("/api/v1/me/email", { email: user.email, password: TEST_PASSWORD }, user.auth);
    assert.equal(api.status, 422);
    assert.equal(api.body.error.fields.email, "This is already your email address.");
  });
});
