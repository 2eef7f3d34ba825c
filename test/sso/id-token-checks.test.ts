import { after, test } from "node:test";
import assert from "node:assert/strict";
import { buildUser, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { type FakeIdp, startFakeIdp } from "./fake-idp.ts";
import { APP, cookieFrom } from "./support.ts";

const idp = await startFakeIdp();
after(() => idp.close());

/** A login at the fake provider: the app's redirect, then its callback with the ID token and userinfo given. */
async function logInWith(env: TestEnv, next: Omit<FakeIdp["next"], "nonce">) {
  const start = await env.app.inject({ url: "/auth/oidc/fake" });
  assert.equal(start.statusCode, 302);
  const authorization = new URL(String(start.headers.location));
  idp.next = { ...next, nonce: authorization.searchParams.get("nonce")! };
  const state = authorization.searchParams.get("state")!;
  return env.app.inject({
    url: `/auth/oidc/fake/callback?code=a-code&state=${encodeURIComponent(state)}`,
    headers: { cookie: cookieFrom(start.headers, "cs_oidc")! },
  });
}

const identities = (env: TestEnv, subject: string) =>
  env.deps.db.selectFrom("userIdentities").select(["userId", "email"]).where("subject", "=", subject).execute();

describeEachDatabase(
  "single sign-on: what the ID token and the userinfo prove",
  (env) => {
    test("an ID token not signed with one of the provider's published keys logs nobody in", async () => {
      const claims = { sub: "forged", email: "fiona@customers.test", email_verified: true, name: "Fiona" };
      const forged = await logInWith(env(), { claims, signer: "unpublished" });
      assert.notEqual(forged.statusCode, 303, "a forged ID token must not log in");
      assert.match(forged.body, /data-reason="exchange"/);
      assert.equal(cookieFrom(forged.headers, "cs_session"), undefined);
      assert.deepEqual(await identities(env(), "forged"), []);

      // The same login signed with the published key goes through.
      const signed = await logInWith(env(), { claims, signer: "published" });
      assert.equal(signed.statusCode, 303);
      assert.ok(cookieFrom(signed.headers, "cs_session"));
    });

    test("the ID token's email_verified does not verify another address the userinfo gives", async () => {
      const victim = await buildUser(env(), { name: "Victor Victim" });
      await env()
        .deps.db.updateTable("users")
        .set({ emailVerifiedAt: env().clock.now() })
        .where("id", "=", victim.id)
        .execute();
      const res = await logInWith(env(), {
        claims: { sub: "eve", email: "eve@attacker.test", email_verified: true, name: "Eve" },
        signer: "published",
        userinfo: { email: victim.email },
      });
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /data-reason="email_unverified"/);
      assert.equal(cookieFrom(res.headers, "cs_session"), undefined);
      assert.deepEqual(await identities(env(), "eve"), [], "the victim's account is not linked to Eve");

      // The userinfo repeating the ID token's verified address (in another case) keeps it verified.
      const same = await logInWith(env(), {
        claims: { sub: "sam", email: "sam@customers.test", email_verified: true, name: "Sam" },
        signer: "published",
        userinfo: { email: "Sam@Customers.test" },
      });
      assert.equal(same.statusCode, 303);
      assert.equal((await identities(env(), "sam")).length, 1);
      // And the userinfo's own flag speaks for its own address.
      const own = await logInWith(env(), {
        claims: { sub: "olga", email: "olga.old@customers.test", email_verified: true, name: "Olga" },
        signer: "published",
        userinfo: { email: "olga@customers.test", email_verified: true },
      });
      assert.equal(own.statusCode, 303);
      assert.deepEqual(
        (await identities(env(), "olga")).map((i) => i.email),
        ["olga@customers.test"],
      );
    });
  },
  { baseUrl: APP, oidcProviders: [idp.config] },
);
