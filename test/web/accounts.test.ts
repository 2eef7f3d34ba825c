import { test } from "node:test";
import assert from "node:assert/strict";
import { TEST_PASSWORD, buildUser, describeEachDatabase } from "../helpers.ts";
import { browse, csrfFieldOf, getPage, postForm, sessionCookieFrom } from "./web-helpers.ts";

describeEachDatabase("web accounts", (env) => {
  test("after login, next stays on this site: no open redirect, no 500 on control characters", async () => {
    const user = await buildUser(env());
    const redirects = {
      "/%09/evil.example": "/",
      "/%0a/evil.example": "/",
      "/%0d%0aSet-Cookie:%20x=1": "/",
      "//evil.example": "/",
      "/%5Cevil.example": "/",
      "/\\evil.example": "/",
      "https://evil.example/": "/",
      "/.//evil.example/x": "/",
      "/..//evil.example": "/",
      "/%2e//evil.example": "/",
      "/a/..//evil.example": "/",
      "/c/demo?tab=new#top": "/c/demo?tab=new#top",
      "/c/d%C3%A9mo": "/c/d%C3%A9mo",
      "/c/démo": "/c/d%C3%A9mo",
    };
    for (const [next, location] of Object.entries(redirects)) {
      const url = `/login?next=${next.includes("%") ? next : encodeURIComponent(next)}`;
      const page = await getPage(env(), url, user);
      assert.deepEqual([page.status, page.headers.location], [303, location], next);
      env().clock.advance(60_000); // a fresh window of the per-IP login limit
      const browser = await browse(env(), null, "/login");
      const form = await browser.submit("/login", {
        email: user.email,
        password: TEST_PASSWORD,
        next: decodeURIComponent(next),
      });
      assert.deepEqual([form.status, form.headers.location], [303, location], `form: ${next}`);
    }
  });

  test("sign up through the form, then log out", async () => {
    const browser = await browse(env(), null, "/signup?next=/c/demo");
    const signup = await browser.get("/signup?next=/c/demo");
    assert.match(signup.body, /<label for="email">Email<\/label>/);
    assert.match(signup.body, /<input type="hidden" name="next" value="\/c\/demo">/);
    const res = await browser.submit("/signup", {
      name: "Nina",
      email: "Nina@Example.test",
      password: "long-enough-pw",
      locale: "en",
      next: "/c/demo",
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, "/c/demo");
    const session = sessionCookieFrom(res);
    assert.ok(session, "signing up logs in");
    const home = await getPage(env(), "/", null, { cookie: session! });
    assert.match(home.body, /<span class="who"[^>]*>Nina<\/span>/);
    const token = csrfFieldOf(home);
    assert.notEqual(token, browser.csrf, "the page after signing up carries the session's token");
    const out = await postForm(env(), "/logout", { _csrf: token }, session!);
    assert.equal(out.status, 303);
    assert.match(String(out.headers["set-cookie"]), /cs_session=;/);
    const after = await getPage(env(), "/", null, { cookie: session! });
    assert.match(after.body, />Log in</, "the session has ended");
  });

  test("signup mistakes come back next to the fields, without the password", async () => {
    const existing = await buildUser(env());
    const browser = await browse(env(), null, "/signup");
    const invalid = await browser.submit("/signup", {
      name: "",
      email: "not-an-email",
      password: "short",
      locale: "en",
    });
    assert.equal(invalid.status, 422);
    assert.match(invalid.body, /id="name-error">This field is required.</);
    assert.match(invalid.body, /id="email-error">Enter a valid email address.</);
    assert.match(invalid.body, /id="password-error">Use at least 8 characters.</);
    assert.match(invalid.body, /value="not-an-email"/);
    assert.doesNotMatch(invalid.body, /value="short"/);
    const taken = await browser.submit("/signup", {
      name: "Twin",
      email: existing.email,
      password: "long-enough-pw",
      locale: "en",
    });
    assert.equal(taken.status, 409);
    assert.match(taken.body, /id="email-error">An account with this email already exists/);
  });

  test("log in through the form, back to a local page only", async () => {
    const user = await buildUser(env());
    const browser = await browse(env(), null, "/login");
    const wrong = await browser.submit("/login", { email: user.email, password: "wrong-password", next: "/" });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body, /role="alert"[\s\S]*Email or password is incorrect./);
    const ok = await browser.submit("/login", { email: user.email, password: TEST_PASSWORD, next: "/c/somewhere?x=1" });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.location, "/c/somewhere?x=1");
    assert.ok(sessionCookieFrom(ok));
    for (const next of ["//evil.example", "https://evil.example", "/\\evil.example"]) {
      const res = await browser.submit("/login", { email: user.email, password: TEST_PASSWORD, next });
      assert.equal(res.headers.location, "/", `${next} is not followed`);
    }
    const loggedIn = await getPage(env(), "/login?next=/c/x", user);
    assert.equal(loggedIn.status, 303, "a logged-in visitor skips the form");
    assert.equal(loggedIn.headers.location, "/c/x");
  });
});
