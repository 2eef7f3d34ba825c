import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildUser, describeEachDatabase } from "../helpers.ts";
import { csrfTokenFor } from "../web/web-helpers.ts";

describeEachDatabase("races and header details", (env) => {
  test("two admins creating the same community at once: one 201, one 409, never a 500", async () => {
    const admin = await buildUser(env(), { platformAdmin: true });
    const body = { slug: `race-${admin.id}`, name: "Race Community", visibility: "public" };
    const statuses = (await Promise.all([1, 2, 3].map(() => env().api.post("/api/v1/communities", body, admin.auth))))
      .map((r) => r.status)
      .sort();
    assert.deepEqual(statuses, [201, 409, 409]);
  });

  test("concurrent creation of the same category: one 201, the rest 409", async () => {
    const { slug, admin } = await buildCommunity(env());
    const statuses = (
      await Promise.all(
        [1, 2, 3].map(() =>
          env().api.post(`/api/v1/communities/${slug}/categories`, { name: "Racing Category" }, admin.auth),
        ),
      )
    )
      .map((r) => r.status)
      .sort();
    assert.deepEqual(statuses, [201, 409, 409]);
  });

  test("the Bearer scheme is case-insensitive", async () => {
    const user = await buildUser(env());
    const res = await env().app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { authorization: `bearer ${user.auth.token}` },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(JSON.parse(res.body).user.id, user.id);
  });

  test("a NUL character in a form field is refused like in the API", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const { cookie } = members.member[0];
    const res = await env().app.inject({
      method: "POST",
      url: `/c/${slug}/new`,
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        _csrf: await csrfTokenFor(env(), cookie),
        kind: "question",
        title: "Title with a \0 inside",
        body: "text",
      }).toString(),
    });
    assert.equal(res.statusCode, 422);
    const api = await env().api.post(
      `/api/v1/communities/${slug}/topics`,
      { kind: "question", title: "Title with a \0 inside", body: "x" },
      members.member[0].auth,
    );
    assert.equal(api.status, 422);
    assert.ok(api.body.error.fields.title);
  });
});
