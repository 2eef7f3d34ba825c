import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { canonicalOf, fetchPath, headOf } from "./support.ts";

/**
 * `?category=` names a category by id or by slug, and an id wins over another category's slug
 * spelled like it (topics.service): the head describes the category whose topics the page lists.
 */
describeEachDatabase("the canonical address of a category's topic list", (env) => {
  test("a category whose slug is another's id: the page by that id is canonical at the other's slug", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { categories: [], members: { member: 1 } });
    const create = async (body: Record<string, unknown>) => {
      const res = await env().api.post(`/api/v1/communities/${slug}/categories`, body, admin.auth);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.category as { id: number; slug: string };
    };
    const billing = await create({ name: "Billing", position: 1 });
    // Listed first, and named like the id of the one above.
    const numbered = await create({ name: "Numbered", slug: String(billing.id), position: 0 });
    await buildTopic(env(), slug, members.member[0], { title: "Where is my invoice?", categoryId: billing.id });
    await buildTopic(env(), slug, members.member[0], { title: "Something else entirely", categoryId: numbered.id });

    const res = await fetchPath(env(), `/c/${slug}?category=${billing.id}`);
    assert.equal(res.status, 200);
    assert.match(res.body, /Where is my invoice\?/, "the page lists the category of that id");
    assert.doesNotMatch(res.body, /Something else entirely/);
    const base = `${env().deps.config.baseUrl}/c/${slug}`;
    assert.equal(canonicalOf(res.body), `${base}?category=billing`);
    assert.match(headOf(res.body), new RegExp(`href="/c/${slug}/feeds/categories/billing"`));

    const bySlug = await fetchPath(env(), `/c/${slug}?category=billing`);
    assert.equal(canonicalOf(bySlug.body), `${base}?category=billing`, "by its slug: the same");
    const other = await fetchPath(env(), `/c/${slug}?category=${numbered.id}`);
    assert.match(other.body, /Something else entirely/);
    assert.equal(canonicalOf(other.body), `${base}?category=${encodeURIComponent(numbered.slug)}`);
  });
});
