import { test } from "node:test";
import assert from "node:assert/strict";
import { buildUser, describeEachDatabase } from "../helpers.ts";

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
    assert.deepEqual(Object.keys(mine).sort(), ["createdAt", "id", "lastUsedAt", "name"], "never the value");
    assert.equal(mine.lastUsedAt, new Date(env().clock.now()).toISOString());
    assert.equal(listed.body.tokens.length, 2, "the factory's token and this one");

    assert.equal((await env().api.delete(`/api/v1/tokens/${created.body.id}`, other.auth)).status, 404);
    assert.equal((await env().api.get("/api/v1/me", script)).status, 200, "still valid");
    assert.equal((await env().api.delete(`/api/v1/tokens/${created.body.id}`, user.auth)).status, 200);
    assert.equal((await env().api.get("/api/v1/me", script)).status, 401, "revoked");
    assert.equal((await env().api.delete(`/api/v1/tokens/${created.body.id}`, user.auth)).status, 404);
    assert.equal((await env().api.get("/api/v1/tokens")).status, 401);
  });
});
