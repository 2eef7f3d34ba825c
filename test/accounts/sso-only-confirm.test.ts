import { test } from "node:test";
import assert from "node:assert/strict";
import type { OidcProviderConfig } from "../../src/core/config.ts";
import { accountForLogin } from "../../src/sso/sso.service.ts";
import { createApiToken, createSession } from "../../src/accounts/accounts.service.ts";
import { TEST_PASSWORD, buildUser, describeEachDatabase, type TestUser } from "../helpers.ts";
import { browse, getPage } from "../web/web-helpers.ts";
import { emailsTo, uniqueEmail } from "./support.ts";

const acme: OidcProviderConfig = {
  name: "acme",
  label: "Acme ID",
  issuer: "http://127.0.0.1:9/acme",
  clientId: "crowdservice",
  scopes: "openid email profile",
};

describeEachDatabase(
  "an account without a password (single sign-on) changes its email and deletes itself",
  (env) => {
    let subjects = 0;

    /** A member signed up through the provider, as its callback does: the account, then a session. */
    async function ssoMember(): Promise<TestUser> {
      subjects += 1;
      const email = uniqueEmail();
      const claims = { sub: `sub-${subjects}-${email}`, email, email_verified: true, name: "Sina Sso" };
      const id = await accountForLogin(env().deps, acme, claims);
      const session = await createSession(env().deps, id, "Mozilla/5.0 Firefox/128.0");
      const { token } = await createApiToken(env().deps, id, { name: "script", scope: "write", expiresAt: null });
      return { id, name: "Sina Sso", handle: "", email, auth: { token }, cookie: `cs_session=${session}` };
    }

    /** A sign-in through the provider again: a new session, recent now. */
    async function signInAgain(member: TestUser): Promise<TestUser> {
      const session = await createSession(env().deps, member.id);
      return { ...member, cookie: `cs_session=${session}` };
    }

    const deletedAt = async (id: number) =>
      (await env().deps.db.selectFrom("users").select("deletedAt").where("id", "=", id).executeTakeFirstOrThrow())
        .deletedAt;

    test("API: a recent sign-in confirms; an old one, or an API token, is told to sign in again (403)", async () => {
      const member = await ssoMember();
      const cookie = { cookie: member.cookie };
      const passwordHash = await env()
        .deps.db.selectFrom("users")
        .select("passwordHash")
        .where("id", "=", member.id)
        .executeTakeFirstOrThrow();
      assert.equal(passwordHash.passwordHash, "", "single sign-on made an account without a password");

      const moved = uniqueEmail();
      const change = await env().api.put("/api/v1/me/email", { email: moved }, cookie);
      assert.equal(change.status, 202, JSON.stringify(change.body));
      assert.equal((await emailsTo(env(), moved)).length, 1, "the confirmation link goes to the new address");

      const untyped = await env().api.request("DELETE", "/api/v1/me", {}, cookie);
      assert.equal(untyped.status, 422, JSON.stringify(untyped.body));
      assert.equal(untyped.body.error.code, "validation_failed");
      assert.ok(untyped.body.error.fields.email);
      const mistyped = await env().api.request("DELETE", "/api/v1/me", { email: "someone@example.test" }, cookie);
      assert.equal(mistyped.status, 422);
      assert.equal(await deletedAt(member.id), null);

      const byToken = await env().api.request("DELETE", "/api/v1/me", { email: member.email }, member.auth);
      assert.equal(byToken.status, 403, "an API token is no sign-in");
      assert.equal(byToken.body.error.code, "forbidden");
      assert.deepEqual(byToken.body.error.fields, {});
      assert.match(byToken.body.error.message, /Sign in again/);

      env().clock.advance(11 * 60_000);
      const late = await env().api.request("DELETE", "/api/v1/me", { email: member.email }, cookie);
      assert.equal(late.status, 403, JSON.stringify(late.body));
      assert.match(late.body.error.message, /Sign in again/);
      const lateChange = await env().api.put("/api/v1/me/email", { email: uniqueEmail() }, cookie);
      assert.equal(lateChange.status, 403);
      assert.equal(await deletedAt(member.id), null);

      const again = await signInAgain(member);
      const deleted = await env().api.request(
        "DELETE",
        "/api/v1/me",
        { email: ` ${member.email.toUpperCase()}` },
        {
          cookie: again.cookie,
        },
      );
      assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
      assert.notEqual(await deletedAt(member.id), null);
    });

    test("an account with a password: its password confirms, as before; none is 422, a wrong one 403", async () => {
      const user = await buildUser(env());
      const missing = await env().api.request("DELETE", "/api/v1/me", { email: user.email }, user.auth);
      assert.equal(missing.status, 422);
      assert.deepEqual(Object.keys(missing.body.error.fields), ["password"]);
      const noPassword = await env().api.put("/api/v1/me/email", { email: uniqueEmail() }, user.auth);
      assert.equal(noPassword.status, 422);
      assert.deepEqual(Object.keys(noPassword.body.error.fields), ["password"]);
      const wrong = await env().api.request("DELETE", "/api/v1/me", { password: "not-it-at-all" }, user.auth);
      assert.equal(wrong.status, 403);
      assert.deepEqual(wrong.body.error, { code: "forbidden", message: "The password is not correct." });
      const form = await (await browse(env(), user)).submit("/me/account/delete", { password: "not-it-at-all" });
      assert.equal(form.status, 403);
      assert.match(form.body, /id="delete-password-error">[^<]*The password is not correct/);
      const deleted = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, user.auth);
      assert.equal(deleted.status, 204);
    });

    test("forms: an old sign-in gets a link to sign in again and back; then email and deletion work", async () => {
      const member = await ssoMember();
      await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", member.id).execute();
      env().clock.advance(11 * 60_000);
      const page = await getPage(env(), "/me/account", member);
      assert.equal(page.status, 200);
      assert.match(page.body, /href="\/auth\/oidc\/acme\?next=%2Fme%2Faccount"/);
      assert.match(page.body, /Erneut mit Acme ID anmelden/);
      assert.doesNotMatch(page.body, /id="delete-password"/, "no password to ask for");
      assert.match(page.body, /id="delete-email"/);

      const stale = await browse(env(), member);
      const refused = await stale.submit("/me/account/delete", { email: member.email });
      assert.equal(refused.status, 403);
      assert.match(refused.body, /Melde dich zur Bestätigung erneut an/);
      assert.equal(await deletedAt(member.id), null);

      const fresh = await browse(env(), await signInAgain(member));
      const freshPage = await getPage(env(), "/me/account", await signInAgain(member));
      assert.doesNotMatch(freshPage.body, /href="\/auth\/oidc\/acme/, "a recent sign-in needs no link");
      const moved = uniqueEmail();
      const change = await fresh.submit("/me/account/email", { email: moved });
      assert.equal(change.status, 303, change.body);
      assert.equal((await emailsTo(env(), moved)).length, 1);
      const mistyped = await fresh.submit("/me/account/delete", { email: "nobody@example.test" });
      assert.equal(mistyped.status, 422);
      assert.match(mistyped.body, /id="delete-email-error">[^<]*genau wie oben/);
      const deleted = await fresh.submit("/me/account/delete", { email: member.email });
      assert.equal(deleted.status, 303, deleted.body);
      assert.equal(deleted.headers.location, "/");
      assert.notEqual(await deletedAt(member.id), null);
    });
  },
  { oidcProviders: [acme] },
);
