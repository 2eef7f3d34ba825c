import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildUser, describeEachDatabase } from "../helpers.ts";

/** Characters trim() keeps that show nothing: a zero-width space, the Hangul filler, the blank Braille pattern. */
const INVISIBLE = ["\u200b\u200b\u200b", "\u3164\u3164", "\u2800\u2800", "A\u200b", "\u200b \u2060 \ufeff\u200d"];

/** Community and category names are shown as links and headings: one that shows nothing is refused. */
describeEachDatabase("community and category names that show nothing", (env) => {
  test("are refused (422) when a category is created or renamed", async () => {
    const { slug, admin, categories } = await buildCommunity(env());
    for (const name of INVISIBLE) {
      const created = await env().api.post(`/api/v1/communities/${slug}/categories`, { name }, admin.auth);
      assert.equal(created.status, 422, `${JSON.stringify(name)}: ${JSON.stringify(created.body)}`);
      assert.equal(created.body.error.code, "validation_failed");
      const renamed = await env().api.patch(
        `/api/v1/communities/${slug}/categories/${categories[0].id}`,
        { name },
        admin.auth,
      );
      assert.equal(renamed.status, 422, JSON.stringify(name));
    }
    const listed = await env().api.get(`/api/v1/communities/${slug}/categories`);
    assert.deepEqual(
      listed.body.categories.map((c: { name: string }) => c.name),
      ["General"],
    );
    const short = await env().api.post(`/api/v1/communities/${slug}/categories`, { name: "請求" }, admin.auth);
    assert.equal(short.status, 201, "two visible characters are enough");
  });

  test("are refused (422) when a community is created or renamed", async () => {
    const { slug, admin } = await buildCommunity(env());
    const platformAdmin = await buildUser(env(), { platformAdmin: true });
    for (const [i, name] of INVISIBLE.entries()) {
      const created = await env().api.post(
        "/api/v1/communities",
        { slug: `${slug}-blank-${i}`, name },
        platformAdmin.auth,
      );
      assert.equal(created.status, 422, `${JSON.stringify(name)}: ${JSON.stringify(created.body)}`);
      const renamed = await env().api.patch(`/api/v1/communities/${slug}`, { name }, admin.auth);
      assert.equal(renamed.status, 422, JSON.stringify(name));
    }
    const shown = await env().api.get(`/api/v1/communities/${slug}`);
    assert.match(shown.body.community.name, /^Community \d+$/);
  });
});
