import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";
import { browse, postForm } from "../web/web-helpers.ts";

describeEachDatabase("personal API tokens", (env) => {
  test("listed with their last use, revoked by their owner only, and never minted with a token", async () => {
    const user = await buildUser(env());
    const other = await buildUser(env());
    const session = { cookie: user.cookie };
    const created = await env().api.post("/api/v1/tokens", { name: "import script" }, session);
    assert.equal(created.status, 201);
    const script = { token: created.body.token as string };

    const minted = await env().api.post("/api/v1/tokens", { name: "more" }, script);
    assert.equal(minted.status, 403, "a token cannot create tokens");

    await env().api.get("/api/v1/me", script);
    const listed = await env().api.get("/api/v1/tokens", session);
    assert.equal(listed.status, 200);
    const mine = listed.body.tokens.find((t: { id: number }) => t.id === created.body.id);
    assert.deepEqual(
      Object.keys(mine).sort(),
      ["createdAt", "expiresAt", "id", "lastUsedAt", "name", "scope"],
      "never the value",
    );
    assert.equal(mine.lastUsedAt, new Date(env().clock.now()).toISOString());
    assert.deepEqual([mine.scope, mine.expiresAt], ["write", null], "write and no expiry by default");
    assert.equal(listed.body.tokens.length, 2, "the factory's token and this one");

    assert.equal((await env().api.delete(`/api/v1/tokens/${created.body.id}`, other.auth)).status, 404);
    assert.equal((await env().api.get("/api/v1/me", script)).status, 200, "still valid");
    assert.equal((await env().api.delete(`/api/v1/tokens/${created.body.id}`, user.auth)).status, 200);
    assert.equal((await env().api.get("/api/v1/me", script)).status, 401, "revoked");
    assert.equal((await env().api.delete(`/api/v1/tokens/${created.body.id}`, user.auth)).status, 404);
    assert.equal((await env().api.get("/api/v1/tokens")).status, 401);
  });

  test("the account page's token form mints for a signed-in session, never for a token", async () => {
    const user = await buildUser(env());
    const tokenCount = async () =>
      (await env().deps.db.selectFrom("apiTokens").select("id").where("userId", "=", user.id).execute()).length;
    const before = await tokenCount();

    const browser = await browse(env(), user);
    const page = await browser.submit("/me/account/tokens", { name: "backup script", scope: "read" });
    assert.equal(page.status, 200, page.body);
    assert.match(page.body, /cs_[A-Za-z0-9_-]{20,}/, "the new value is shown once");
    assert.equal(await tokenCount(), before + 1);

    // A token posting the form (a token request carries no session, so no CSRF binding) must
    // not escalate to an admin-scoped token.
    const fields = { name: "escalated", scope: "admin", _csrf: "chosen" };
    const minted = await postForm(env(), "/me/account/tokens", fields, "cs_csrf=chosen", {
      authorization: `Bearer ${user.auth.token}`,
    });
    assert.equal(minted.status, 403);
    assert.equal(await tokenCount(), before + 1);
  });

  test("scopes: a read token only reads, a write token acts as a member, only an admin token as staff", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0]);
    const tokenOf = async (scope: string) => {
      const res = await env().api.post("/api/v1/tokens", { name: scope, scope }, { cookie: admin.cookie });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.scope, scope);
      return { token: res.body.token as string };
    };
    const [read, write, full] = [await tokenOf("read"), await tokenOf("write"), await tokenOf("admin")];
    const reply = { body: "Restart the router, then the box." };

    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, read)).status, 200);
    const readWrites = await env().api.post(`/api/v1/topics/${topic.id}/replies`, reply, read);
    assert.equal(readWrites.status, 403);
    assert.match(readWrites.body.error.message, /only read/);
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/lock`, {}, read)).status, 403);

    assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/replies`, reply, write)).status, 201);
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/lock`, {}, write)).status, 403, "no moderation");
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/audit-log`, write)).status, 403, "no admin page");
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/lock`, {}, full)).status, 200);
    assert.equal((await env().api.post("/api/v1/tokens", { name: "more" }, full)).status, 403, "no minting");
    const badScope = await env().api.post("/api/v1/tokens", { name: "x", scope: "root" }, { cookie: admin.cookie });
    assert.equal(badScope.status, 422);
    assert.ok(badScope.body.error.fields.scope);
  });

  test("a platform admin's write token cannot create communities; an admin token can", async () => {
    const operator = await buildUser(env(), { platformAdmin: true });
    const write = await env().api.post("/api/v1/tokens", { name: "w", scope: "write" }, { cookie: operator.cookie });
    const body = { slug: `ops-${write.body.id}`, name: "Ops", visibility: "public" };
    assert.equal((await env().api.post("/api/v1/communities", body, { token: write.body.token })).status, 403);
    assert.equal((await env().api.post("/api/v1/communities", body, operator.auth)).status, 201);
  });

  test("an expiring token works until its time, then gets 401; a past expiry is refused", async () => {
    const user = await buildUser(env());
    const session = { cookie: user.cookie };
    const expiresAt = new Date(env().clock.now() + 3600_000).toISOString();
    const created = await env().api.post("/api/v1/tokens", { name: "temp", expiresAt }, session);
    assert.equal(created.status, 201);
    assert.equal(created.body.expiresAt, expiresAt);
    const temp = { token: created.body.token as string };
    assert.equal((await env().api.get("/api/v1/me", temp)).status, 200);
    const listed = (await env().api.get("/api/v1/tokens", session)).body.tokens;
    assert.equal(listed.find((t: { id: number }) => t.id === created.body.id).expiresAt, expiresAt);
    env().clock.advance(3600_000);
    assert.equal((await env().api.get("/api/v1/me", temp)).status, 401, "expired");
    const past = await env().api.post("/api/v1/tokens", { name: "old", expiresAt }, session);
    assert.equal(past.status, 422);
    assert.ok(past.body.error.fields.expiresAt);
  });
});
