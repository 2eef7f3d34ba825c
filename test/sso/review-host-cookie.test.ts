import { after, test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase, type TestEnv } from "../helpers.ts";
import { startProvider, throughProvider } from "./provider.ts";
import { APP, callback, cookieFrom } from "./support.ts";

const idp = await startProvider(APP);
after(() => idp.close());

const HOST_COOKIE = "__Host-cs_oidc";

/** Starts a login over HTTPS: the provider's authorization URL and the whole Set-Cookie of the pending login. */
async function startSecure(env: TestEnv) {
  const res = await env.app.inject({ url: "/auth/oidc/acme" });
  assert.equal(res.statusCode, 302);
  const pending = cookieFrom(res.headers, HOST_COOKIE);
  assert.ok(pending, "the pending login is kept in a __Host- cookie");
  const setCookie = [res.headers["set-cookie"]].flat().map(String);
  return { authorization: new URL(String(res.headers.location)), pending, setCookie };
}

describeEachDatabase(
  "single sign-on over HTTPS: the pending login in a __Host- cookie",
  (env) => {
    test("the start sets __Host-cs_oidc for path / , Secure, HttpOnly, SameSite=Lax, without a domain", async () => {
      const { setCookie } = await startSecure(env());
      const [cookie] = setCookie.filter((c) => c.startsWith(`${HOST_COOKIE}=`));
      assert.ok(cookie);
      const attributes = cookie.split(/;\s*/).slice(1);
      assert.ok(attributes.includes("Path=/"), cookie);
      assert.ok(attributes.includes("Secure"), cookie);
      assert.ok(attributes.includes("HttpOnly"), cookie);
      assert.ok(attributes.includes("SameSite=Lax"), cookie);
      assert.ok(!attributes.some((a) => /^domain=/i.test(a)), cookie);
      assert.equal(cookieFrom({ "set-cookie": setCookie }, "cs_oidc"), undefined, "no unprefixed cookie");
    });

    test("a planted plain cs_oidc is ignored: the callback is refused as without any cookie", async () => {
      const { authorization, pending } = await startSecure(env());
      const back = await throughProvider(authorization.href, "browser", APP);
      // What a sibling subdomain can set: the same valid content under the unprefixed name.
      const planted = pending.replace(`${HOST_COOKIE}=`, "cs_oidc=");
      const res = await callback(env(), back, planted);
      const none = await callback(env(), back);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /data-reason="state"/);
      assert.equal(res.body, none.body);
      assert.equal(res.headers["set-cookie"], none.headers["set-cookie"]);
      assert.doesNotMatch(String(res.headers["set-cookie"]), /cs_session=/);
    });

    test("the whole flow still signs in, and the pending login is cleared under its own name and path", async () => {
      const { authorization, pending } = await startSecure(env());
      const back = await throughProvider(authorization.href, "browser", APP);
      const res = await callback(env(), back, pending);
      assert.equal(res.statusCode, 303);
      const session = cookieFrom(res.headers, "__Host-cs_session");
      assert.ok(session);
      const me = await env().api.get("/api/v1/me", { cookie: session });
      assert.equal(me.status, 200);
      const cleared = [res.headers["set-cookie"]].flat().map(String);
      assert.ok(
        cleared.some((c) => c.startsWith(`${HOST_COOKIE}=;`) && /; Path=\/(;|$)/.test(c) && /; Secure/.test(c)),
        cleared.join("\n"),
      );
    });
  },
  { baseUrl: APP, oidcProviders: [idp.config], secureCookies: true },
);
