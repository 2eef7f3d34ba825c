import { test } from "node:test";
import assert from "node:assert/strict";
import { createSession } from "../../src/accounts/index.ts";
import {
  TEST_PASSWORD,
  buildCommunity,
  buildTopic,
  buildUser,
  describeEachDatabase,
  type TestEnv,
} from "../helpers.ts";
import { browse, csrfFieldOf, csrfTokenFor, getPage, postForm, sessionCookieFrom } from "./web-helpers.ts";

const EXPIRED = /This form has expired or did not come from this site/;

/** The Set-Cookie headers of a response, one string each. */
function setCookies(res: { headers: Record<string, unknown> }): string[] {
  return ([] as string[]).concat((res.headers["set-cookie"] as string | string[] | undefined) ?? []);
}

async function replyCount(env: TestEnv, topicId: number): Promise<number> {
  return (await env.api.get(`/api/v1/topics/${topicId}`)).body.replies.length;
}

describeEachDatabase("CSRF tokens tied to the session", (env) => {
  test("a form post needs its own session's token: another session's, even the same member's, is refused", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const url = `/c/${slug}/t/${topic.id}/reply`;
    const secondSession = `cs_session=${await createSession(env().deps, helper.id)}`;
    const own = await csrfTokenFor(env(), helper.cookie);
    assert.equal(await csrfTokenFor(env(), helper.cookie, `/c/${slug}`), own, "one token for the whole session");
    const others = [await csrfTokenFor(env(), asker.cookie), await csrfTokenFor(env(), secondSession)];
    for (const token of others) {
      assert.notEqual(token, own);
      const refused = await postForm(env(), url, { body: "From another session", _csrf: token }, helper.cookie);
      assert.equal(refused.status, 403);
      assert.match(refused.body, EXPIRED);
    }
    assert.equal(await replyCount(env(), topic.id), 0, "nothing was written");
    const passed = await postForm(env(), url, { body: "From my own page", _csrf: own }, helper.cookie);
    assert.equal(passed.status, 303);
    assert.equal(await replyCount(env(), topic.id), 1);
  });

  test("an anonymous (or planted) CSRF cookie's token is refused once signed in, in forms and the API header", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [member] = members.member;
    const topic = await buildTopic(env(), slug, member);
    const anonymous = await browse(env(), null, "/login");
    const planted = `${member.cookie}; ${anonymous.cookie}`;
    const form = await postForm(
      env(),
      `/c/${slug}/t/${topic.id}/reply`,
      { body: "With the cookie's token", _csrf: anonymous.csrf },
      planted,
    );
    assert.equal(form.status, 403);
    assert.match(form.body, EXPIRED);
    assert.equal(await replyCount(env(), topic.id), 0);

    const viaApi = (token: string) =>
      env().app.inject({
        method: "POST",
        url: `/api/v1/communities/${slug}/topics`,
        headers: { cookie: planted, "content-type": "application/x-www-form-urlencoded", "x-csrf-token": token },
        payload: "kind=question&title=Posted+with+a+header&body=Text",
      });
    const refused = await viaApi(anonymous.csrf);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, "forbidden");
    const topics = () => env().api.get(`/api/v1/communities/${slug}/topics`);
    const before = (await topics()).body.topics.length;
    assert.equal((await viaApi(await csrfTokenFor(env(), member.cookie))).statusCode, 201);
    assert.equal((await topics()).body.topics.length, before + 1);
  });

  test("logging in through the form (no JavaScript) rotates the token; logging out and in again rotates it again", async () => {
    const user = await buildUser(env());
    const login = async () => {
      const anonymous = await browse(env(), null, "/login?next=/me/account");
      const res = await anonymous.submit("/login", { email: user.email, password: TEST_PASSWORD, next: "/me/account" });
      assert.deepEqual([res.status, res.headers.location], [303, "/me/account"]);
      assert.ok(
        setCookies(res).some((c) => /^cs_csrf=;/.test(c)),
        "the anonymous token is dropped at login",
      );
      const session = sessionCookieFrom(res)!;
      const landing = await getPage(env(), "/me/account", null, { cookie: session });
      assert.equal(landing.status, 200);
      const token = csrfFieldOf(landing);
      assert.notEqual(token, anonymous.csrf, "the page after login carries the session's token");
      assert.equal(
        setCookies(landing).some((c) => c.startsWith("cs_csrf=")),
        false,
        "a session's page sets no CSRF cookie",
      );
      return { session, token, anonymousToken: anonymous.csrf };
    };

    const first = await login();
    // The form the member left open before logging in no longer counts.
    const stale = await postForm(
      env(),
      "/me/account/language",
      { language: "de", _csrf: first.anonymousToken },
      first.session,
    );
    assert.equal(stale.status, 403);
    const language = await postForm(
      env(),
      "/me/account/language",
      { language: "de", _csrf: first.token },
      first.session,
    );
    assert.equal(language.status, 303);

    const refusedLogout = await postForm(env(), "/logout", { _csrf: first.anonymousToken }, first.session);
    assert.equal(refusedLogout.status, 403, "logging out needs the session's token too");
    const logout = await postForm(env(), "/logout", { _csrf: first.token }, first.session);
    assert.equal(logout.status, 303);
    assert.ok(setCookies(logout).some((c) => /^cs_session=;/.test(c)));
    assert.ok(
      setCookies(logout).some((c) => /^cs_csrf=;/.test(c)),
      "the next anonymous form gets a new token",
    );
    const again = await postForm(env(), "/logout", { _csrf: first.token }, first.session);
    assert.deepEqual(
      [again.status, again.headers.location],
      [303, "/"],
      "a second tab's logout lands on the front page",
    );

    env().clock.advance(60_000); // a fresh window of the per-IP login limit
    const second = await login();
    assert.notEqual(second.token, first.token);
    const old = await postForm(env(), "/me/account/language", { language: "fr", _csrf: first.token }, second.session);
    assert.equal(old.status, 403, "the ended session's token is refused in the new one");
    const fresh = await postForm(
      env(),
      "/me/account/language",
      { language: "fr", _csrf: second.token },
      second.session,
    );
    assert.equal(fresh.status, 303);
  });
});
