import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import assert from "node:assert/strict";
import {
  buildCommunity,
  buildTopic,
  buildUser,
  describeEachDatabase,
  TEST_PASSWORD,
  type TestEnv,
} from "../helpers.ts";
import { applicationBody } from "../marketplace/support.ts";
import { browse, getPage } from "../web/web-helpers.ts";
import { accountForLogin } from "../../src/sso/sso.service.ts";
import { deleteAccount } from "../../src/accounts/accounts.privacy.ts";
import { hashPassword } from "../../src/lib/crypto.ts";
import { PEOPLE, startProvider, throughProvider } from "./provider.ts";
import { APP, callback, cookieFrom, logIn, start } from "./support.ts";

const idp = await startProvider(APP);
after(() => idp.close());
/** A provider whose address answers nothing (port 1 on loopback refuses connections). */
const DOWN = { ...idp.config, name: "down", label: "Down ID", issuer: "http://127.0.0.1:1" };

async function me(env: TestEnv, session: string) {
  const res = await env.api.get("/api/v1/me", { cookie: session });
  assert.equal(res.status, 200);
  return res.body.user as { id: number; email: string; name: string; locale: string | null };
}

const identities = (env: TestEnv, subject: string) =>
  env.deps.db.selectFrom("userIdentities").selectAll().where("subject", "=", subject).execute();

describeEachDatabase(
  "single sign-on with OpenID Connect",
  (env) => {
    test("the redirect asks for an authorization code with PKCE (S256), state and nonce", async () => {
      const { authorization } = await start(env());
      assert.equal(authorization.origin, idp.issuer);
      const params = authorization.searchParams;
      assert.equal(params.get("response_type"), "code");
      assert.equal(params.get("code_challenge_method"), "S256");
      assert.ok(params.get("code_challenge") && params.get("state") && params.get("nonce"));
      assert.equal(params.get("redirect_uri"), `${APP}/auth/oidc/acme/callback`);
      assert.equal(params.get("scope"), "openid email profile customer");
    });

    test("a full login round trip creates an account, logs it in and goes where it was asked", async () => {
      const res = await logIn(env(), "newcomer", "/c/somewhere");
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, "/c/somewhere");
      const session = cookieFrom(res.headers, "cs_session");
      assert.ok(session);
      const user = await me(env(), session);
      assert.equal(user.email, PEOPLE.newcomer.email);
      assert.equal(user.name, "Nina Newcomer");
      assert.equal(user.locale, "de");
      const [identity] = await identities(env(), "newcomer");
      assert.equal(identity.userId, user.id);
      assert.equal(identity.provider, "acme");
      // The session names its device, as one from the password login does (the account's sessions page).
      const sessions = await env()
        .deps.db.selectFrom("sessions")
        .select("userAgent")
        .where("userId", "=", user.id)
        .execute();
      assert.deepEqual(
        sessions.map((s) => s.userAgent),
        ["lightMyRequest"],
      );

      // The second time, the identity is found: the same account, no new one.
      const again = await logIn(env(), "newcomer");
      assert.equal((await me(env(), cookieFrom(again.headers, "cs_session")!)).id, user.id);
      const accounts = await env().deps.db.selectFrom("users").select("id").where("email", "=", user.email).execute();
      assert.equal(accounts.length, 1);
      // An SSO account has no password to log in with.
      const password = await env().api.post("/api/v1/auth/login", { email: user.email, password: "any password" });
      assert.equal(password.status, 401);
    });

    test("two first logins of the same person at once end in one account", async () => {
      // The use case itself, twice at once: the second finds the account (or identity) the first made.
      const claims = { sub: "twin", ...PEOPLE.twin };
      const ids = await Promise.all([1, 2].map(() => accountForLogin(env().deps, idp.config, claims)));
      assert.equal(ids[0], ids[1]);
      assert.equal((await identities(env(), "twin")).length, 1);
      const accounts = await env().deps.db.selectFrom("users").select("id").where("email", "=", "tessa@customers.test");
      assert.equal((await accounts.execute()).length, 1);
    });

    test("a deleted account stays deleted: the provider's next login makes a new one", async () => {
      const claims = {
        sub: "leaver-sso",
        email: "leo.leaver@customers.test",
        email_verified: true,
        name: "Leo Leaver",
      };
      const first = await accountForLogin(env().deps, idp.config, claims);
      // The member gave the account a password, then deleted it.
      const passwordHash = await hashPassword(TEST_PASSWORD);
      await env().deps.db.updateTable("users").set({ passwordHash }).where("id", "=", first).execute();
      await deleteAccount(env().deps, first, TEST_PASSWORD);
      assert.deepEqual(await identities(env(), "leaver-sso"), [], "the identity and its claims went with it");
      const next = await accountForLogin(env().deps, idp.config, claims);
      assert.notEqual(next, first);
      const account = await env().deps.db.selectFrom("users").select(["email", "deletedAt"]).where("id", "=", next);
      assert.deepEqual(await account.executeTakeFirstOrThrow(), { email: claims.email, deletedAt: null });
    });

    test("an existing account is linked when the provider verified its email", async () => {
      const linda = await buildUser(env(), { name: "Linda" });
      await env()
        .deps.db.updateTable("users")
        .set({ email: String(PEOPLE.linda.email), emailVerifiedAt: env().clock.now() })
        .where("id", "=", linda.id)
        .execute();
      const res = await logIn(env(), "linda");
      assert.equal(res.statusCode, 303);
      const user = await me(env(), cookieFrom(res.headers, "cs_session")!);
      assert.equal(user.id, linda.id);
      assert.equal(user.name, "Linda", "linking does not rename the account");
      const [identity] = await identities(env(), "linda");
      assert.equal(identity.userId, linda.id);
      assert.equal((await env().api.get("/api/v1/me", { cookie: linda.cookie })).status, 200, "her session goes on");
      const password = await env().api.post("/api/v1/auth/login", {
        email: PEOPLE.linda.email,
        password: TEST_PASSWORD,
      });
      assert.equal(password.status, 200, "and so does her password");
    });

    test("an account registered with an address it never proved loses its password and sessions to the provider's user", async () => {
      // Pre-hijacking: someone signs up with Vera's address before she ever logs in through Acme ID.
      const squatter = await buildUser(env(), { name: "Squatter" });
      await env()
        .deps.db.updateTable("users")
        .set({ email: String(PEOPLE.squatted.email) })
        .where("id", "=", squatter.id)
        .execute();
      const res = await logIn(env(), "squatted");
      assert.equal(res.statusCode, 303);
      const user = await me(env(), cookieFrom(res.headers, "cs_session")!);
      assert.equal(user.id, squatter.id, "the identity is linked to the account with her address");
      assert.equal(
        (await env().api.get("/api/v1/me", { cookie: squatter.cookie })).status,
        401,
        "the squatter's session ended",
      );
      assert.equal((await env().api.get("/api/v1/me", squatter.auth)).status, 401, "and the squatter's token");
      const password = await env().api.post("/api/v1/auth/login", {
        email: PEOPLE.squatted.email,
        password: TEST_PASSWORD,
      });
      assert.equal(password.status, 401, "the squatter's password no longer logs in");
      const row = await env()
        .deps.db.selectFrom("users")
        .select("emailVerifiedAt")
        .where("id", "=", squatter.id)
        .executeTakeFirstOrThrow();
      assert.notEqual(row.emailVerifiedAt, null, "the provider proved the address");
    });

    test("an unverified email at the provider neither takes over an account nor creates one", async () => {
      const victim = await buildUser(env(), { name: "Real Mallory address owner" });
      await env()
        .deps.db.updateTable("users")
        .set({ email: String(PEOPLE.mallory.email) })
        .where("id", "=", victim.id)
        .execute();
      const res = await logIn(env(), "mallory");
      assert.equal(res.statusCode, 403);
      assert.equal(cookieFrom(res.headers, "cs_session"), undefined);
      assert.match(res.body, /data-reason="email_unverified"/);
      assert.match(res.body, /Acme ID has not verified your email address/);
      assert.deepEqual(await identities(env(), "mallory"), []);

      await env().deps.db.deleteFrom("users").where("id", "=", victim.id).execute();
      const alone = await logIn(env(), "mallory");
      assert.equal(alone.statusCode, 403);
      const created = await env()
        .deps.db.selectFrom("users")
        .select("id")
        .where("email", "=", String(PEOPLE.mallory.email))
        .execute();
      assert.deepEqual(created, []);
    });

    test("a callback with a wrong state, or without the browser's pending login, is refused", async () => {
      const { authorization, pending } = await start(env());
      const back = await throughProvider(authorization.href, "newcomer", APP);
      const forged = new URL(back);
      forged.searchParams.set("state", "a-state-this-browser-never-sent");
      const wrong = await callback(env(), forged, pending);
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /data-reason="state"/);
      assert.equal(cookieFrom(wrong.headers, "cs_session"), undefined);

      // The code itself is fine, but a browser that did not start this login has no pending login.
      const stranger = await callback(env(), back);
      assert.equal(stranger.statusCode, 400);
      assert.match(stranger.body, /data-reason="state"/);
      // A pending login is used once: the refused attempt cleared it.
      assert.match(String(wrong.headers["set-cookie"]), /cs_oidc=;/);
    });

    test("an ID token with another nonce than the one this login sent is refused", async () => {
      const { authorization, pending } = await start(env());
      // The provider signs whatever nonce the authorization request carries: here, not ours.
      authorization.searchParams.set("nonce", "a-nonce-of-another-login");
      const back = await throughProvider(authorization.href, "newcomer", APP);
      const res = await callback(env(), back, pending);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /data-reason="nonce"/);
      assert.equal(cookieFrom(res.headers, "cs_session"), undefined);
    });

    test("an unknown provider is a 404, one that does not answer a page; the login page offers them", async () => {
      assert.equal((await env().app.inject({ url: "/auth/oidc/nobody" })).statusCode, 404);
      const unreachable = await env().app.inject({ url: "/auth/oidc/down" });
      assert.equal(unreachable.statusCode, 502);
      assert.match(unreachable.body, /We could not complete the sign-in with Down ID/);
      assert.equal(cookieFrom(unreachable.headers, "cs_oidc"), undefined);

      const login = await env().app.inject({ url: "/login?next=/c/x" });
      assert.match(login.body, /href="\/auth\/oidc\/acme\?next=%2Fc%2Fx">Log in with Acme ID</);
      const signup = await env().app.inject({ url: "/signup" });
      assert.match(signup.body, /href="\/auth\/oidc\/acme">Log in with Acme ID</);
      const providers = await env().api.get("/api/v1/auth/oidc/providers");
      assert.deepEqual(
        providers.body.providers.map((p: { loginUrl: string }) => p.loginUrl),
        ["/auth/oidc/acme", "/auth/oidc/down"],
      );
    });

    test("a community may require an SSO login carrying a claim to post", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2, staff: 1 } });
      const topic = await buildTopic(env(), slug, members.member[0]);
      const requirement = {
        provider: "acme",
        toPost: true,
        toApply: false,
        claim: "customer_number",
        claimValue: null,
      };
      assert.equal(
        (await env().api.put(`/api/v1/communities/${slug}/sso`, requirement, members.member[0].auth)).status,
        403,
      );
      const set = await env().api.put(`/api/v1/communities/${slug}/sso`, requirement, admin.auth);
      assert.equal(set.status, 200);
      assert.deepEqual((await env().api.get(`/api/v1/communities/${slug}/sso`, admin.auth)).body, requirement);

      const question = { kind: "question", title: "Which router do I have?", body: "The box is white." };
      // A member who never logged in through the provider.
      const plain = await env().api.post(`/api/v1/communities/${slug}/topics`, question, members.member[1].auth);
      assert.equal(plain.status, 403);
      assert.match(plain.body.error.message, /log in with Acme ID with an account that carries customer_number/);
      const reply = await env().api.post(
        `/api/v1/topics/${topic.id}/replies`,
        { body: "Me too." },
        members.member[1].auth,
      );
      assert.equal(reply.status, 403);

      // Logged in through the provider, but without a customer number.
      const prospect = cookieFrom((await logIn(env(), "prospect")).headers, "cs_session")!;
      const refused = await env().api.request("POST", `/api/v1/communities/${slug}/topics`, question, {
        cookie: prospect,
      });
      assert.equal(refused.status, 403);

      // A customer: the claim is there.
      const customer = cookieFrom((await logIn(env(), "customer")).headers, "cs_session")!;
      const posted = await env().api.request("POST", `/api/v1/communities/${slug}/topics`, question, {
        cookie: customer,
      });
      assert.equal(posted.status, 201);
      const replied = await env().api.request(
        "POST",
        `/api/v1/topics/${topic.id}/replies`,
        { body: "Try this." },
        {
          cookie: customer,
        },
      );
      assert.equal(replied.status, 201);

      // Staff speak for the company without a customer account.
      assert.equal((await buildTopic(env(), slug, members.staff[0])).title, "How do I reset my router?");

      // A group value: the customer is in "tv", the prospect is not.
      const tvOnly = { ...requirement, claim: "groups", claimValue: "tv" };
      assert.equal((await env().api.put(`/api/v1/communities/${slug}/sso`, tvOnly, admin.auth)).status, 200);
      const tv = { ...question, title: "Which TV box do I have?" };
      const cookies = { customer, prospect };
      const answers = await Promise.all(
        Object.values(cookies).map(
          async (cookie) =>
            (await env().api.request("POST", `/api/v1/communities/${slug}/topics`, tv, { cookie })).status,
        ),
      );
      assert.deepEqual(answers, [201, 403]);

      // Lifting the requirement lets everyone post again.
      const lifted = { ...requirement, toPost: false };
      assert.equal((await env().api.put(`/api/v1/communities/${slug}/sso`, lifted, admin.auth)).status, 200);
      assert.equal((await buildTopic(env(), slug, members.member[1])).title, "How do I reset my router?");
    });

    test("a community may require an SSO login to apply as a service friend", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
      const requirement = { provider: null, toPost: false, toApply: true, claim: null, claimValue: null };
      assert.equal((await env().api.put(`/api/v1/communities/${slug}/sso`, requirement, admin.auth)).status, 200);
      const url = `/api/v1/communities/${slug}/helper-applications`;
      const plain = await env().api.post(url, await applicationBody(), members.member[0].auth);
      assert.equal(plain.status, 403);
      assert.match(plain.body.error.message, /log in through single sign-on to apply as a service friend/);
      // Posting is not asked for.
      await buildTopic(env(), slug, members.member[0]);

      const session = cookieFrom((await logIn(env(), "customer")).headers, "cs_session")!;
      const applied = await env().api.request("POST", url, await applicationBody(), { cookie: session });
      assert.equal(applied.status, 201);
    });

    test("admins set the requirement on a page of the community; members may not see it", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
      assert.equal((await getPage(env(), `/c/${slug}/admin/sso`, members.member[0])).status, 403);
      const link = `href="/c/${slug}/admin/sso"`;
      assert.ok((await getPage(env(), `/c/${slug}`, admin)).body.includes(link), "admins find the page");
      assert.ok(!(await getPage(env(), `/c/${slug}`, members.member[0])).body.includes(link));
      const page = await getPage(env(), `/c/${slug}/admin/sso`, admin);
      assert.equal(page.status, 200);
      assert.match(page.body, /<option\s+value="acme">Acme ID<\/option>/);

      const browser = await browse(env(), admin);
      const fields = { provider: "acme", toPost: "1", toApply: "0", claim: "groups", claimValue: "" };
      const saved = await browser.submit(`/c/${slug}/admin/sso`, fields);
      assert.equal(saved.status, 303);
      const expected = { provider: "acme", toPost: true, toApply: false, claim: "groups", claimValue: null };
      assert.deepEqual((await env().api.get(`/api/v1/communities/${slug}/sso`, admin.auth)).body, expected);
      assert.match((await browser.get(`/c/${slug}/admin/sso`)).body, /name="claim"[^>]*value="groups"/);

      const invalid = await browser.submit(`/c/${slug}/admin/sso`, { ...fields, claim: "", claimValue: "tv" });
      assert.equal(invalid.status, 422);
      assert.match(invalid.body, /<p class="field-error" id="claim-error">/);
    });

    test("a form refused by the requirement comes back with the post kept and the reason in the reader's language", async () => {
      const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
      const [member] = members.member;
      await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", member.id).execute();
      const requirement = {
        provider: "acme",
        toPost: true,
        toApply: false,
        claim: "customer_number",
        claimValue: null,
      };
      assert.equal((await env().api.put(`/api/v1/communities/${slug}/sso`, requirement, admin.auth)).status, 200);
      const browser = await browse(env(), member, `/c/${slug}/new`);
      const refused = await browser.submit(`/c/${slug}/new`, {
        kind: "question",
        title: "Welcher Router ist das?",
        body: "Er ist weiss.",
      });
      assert.equal(refused.status, 403);
      assert.match(refused.body, /melde dich bitte mit Acme ID an, mit einem Konto, das customer_number enthält/);
      assert.match(refused.body, /value="Welcher Router ist das\?"/, "what was typed is still there");

      const anyProvider = { ...requirement, provider: null, claim: null };
      assert.equal((await env().api.put(`/api/v1/communities/${slug}/sso`, anyProvider, admin.auth)).status, 200);
      const again = await browser.submit(`/c/${slug}/new`, {
        kind: "question",
        title: "Welcher Router?",
        body: "Weiss.",
      });
      assert.match(again.body, /Um hier zu schreiben, melde dich bitte mit Acme ID \/ Down ID an\./);
    });

    test("an admin cannot require a provider that is not configured, nor a value without a claim", async () => {
      const { slug, admin } = await buildCommunity(env());
      const base = { provider: "acme", toPost: true, toApply: false, claim: null, claimValue: null };
      const unknown = await env().api.put(`/api/v1/communities/${slug}/sso`, { ...base, provider: "x" }, admin.auth);
      assert.equal(unknown.status, 422);
      assert.ok(unknown.body.error.fields.provider);
      const valueAlone = await env().api.put(
        `/api/v1/communities/${slug}/sso`,
        { ...base, claimValue: "1" },
        admin.auth,
      );
      assert.equal(valueAlone.status, 422);
      assert.ok(valueAlone.body.error.fields.claim);
    });
  },
  // Applications store a photo: uploads go to a temporary DATA_DIR.
  { baseUrl: APP, oidcProviders: [idp.config, DOWN], dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-sso-")) },
);
