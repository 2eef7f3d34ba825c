import { test } from "node:test";
import assert from "node:assert/strict";
import { slug as slugRule } from "../../src/communities/communities.schema.ts";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";

/** A category created without a slug gets one from its name that is free and follows the slug rule. */
describeEachDatabase("category slugs from names", (env) => {
  test("names without Latin letters each get a category, numbered; the same name twice is 409", async () => {
    const { slug, admin } = await buildCommunity(env(), { categories: [] });
    const create = (body: Record<string, unknown>) =>
      env().api.post(`/api/v1/communities/${slug}/categories`, body, admin.auth);
    const first = await create({ name: "Ошибки" });
    assert.equal(first.status, 201);
    assert.equal(first.body.category.slug, "category");
    const second = await create({ name: "Оплата" });
    assert.equal(second.status, 201, JSON.stringify(second.body));
    assert.equal(second.body.category.slug, "category-2");
    const third = await create({ name: "請求書" });
    assert.equal(third.status, 201);
    assert.equal(third.body.category.slug, "category-3");
    const again = await create({ name: "Ошибки" });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "conflict");
    const given = await create({ name: "Другое", slug: "category-2" });
    assert.equal(given.status, 409, "a slug given is taken as it is");
    const listed = await env().api.get(`/api/v1/communities/${slug}/categories`);
    assert.deepEqual(
      listed.body.categories.map((c: { name: string }) => c.name).sort(),
      ["Ошибки", "Оплата", "請求書"].sort(),
    );
  });

  test("the same name again is 409 whatever its slug's number, its case or its Unicode form", async () => {
    const { slug, admin } = await buildCommunity(env(), { categories: [] });
    const create = (body: Record<string, unknown>) =>
      env().api.post(`/api/v1/communities/${slug}/categories`, body, admin.auth);
    assert.equal((await create({ name: "Ошибки" })).status, 201);
    const numbered = await create({ name: "Оплата" });
    assert.equal(numbered.body.category.slug, "category-2");
    for (const name of ["Оплата", "ОПЛАТА"]) {
      const again = await create({ name });
      assert.equal(again.status, 409, `${name}: ${JSON.stringify(again.body)}`);
      assert.equal(again.body.error.code, "conflict");
    }
    assert.equal((await create({ name: "Caf\u00e9" })).status, 201);
    const decomposed = await create({ name: "Cafe\u0301" });
    assert.equal(decomposed.status, 409, "the same name typed with a combining accent");
    const listed = await env().api.get(`/api/v1/communities/${slug}/categories`);
    assert.equal(listed.body.categories.length, 3, "each name once");
  });

  test("a long name cut at 40 characters leaves no dash at the end", async () => {
    const { slug, admin } = await buildCommunity(env(), { categories: [] });
    const res = await env().api.post(
      `/api/v1/communities/${slug}/categories`,
      { name: `${"a".repeat(39)} billing` },
      admin.auth,
    );
    assert.equal(res.status, 201);
    assert.equal(res.body.category.slug, "a".repeat(39));
    assert.ok(slugRule.safeParse(res.body.category.slug).success, res.body.category.slug);
  });
});
