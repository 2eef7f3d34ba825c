import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { fetchPath, headOf } from "./support.ts";

/** The Atom feeds a page's head advertises: title and address. */
const feedLinks = (body: string) =>
  [
    ...headOf(body).matchAll(/<link rel="alternate" type="application\/atom\+xml" title="([^"]*)"\s+href="([^"]*)">/g),
  ].map((m) => ({ title: m[1], href: m[2] }));

describeEachDatabase("a category list's feed link", (env) => {
  test("named like the feed; none for a category whose topics the public may not read", async () => {
    const { slug, categories, members } = await buildCommunity(env(), {
      categories: ["Internet", "Billing"],
      members: { member: 1 },
    });
    const [asker] = members.member;
    await env()
      .deps.db.updateTable("categories")
      .set({ scope: "private" })
      .where("id", "=", categories[1].id)
      .execute();
    await buildTopic(env(), slug, asker, { title: "Wi-Fi drops at night", categoryId: categories[0].id });
    await buildTopic(env(), slug, asker, { title: "Wrong IBAN on my invoice", categoryId: categories[1].id });

    const internet = await fetchPath(env(), `/c/${slug}?category=internet`);
    assert.equal(internet.status, 200);
    const link = feedLinks(internet.body).find((l) => l.href === `/c/${slug}/feeds/categories/internet`);
    assert.ok(link, JSON.stringify(feedLinks(internet.body)));
    const feed = await fetchPath(env(), link.href);
    assert.equal(feed.status, 200);
    const feedTitle = /<feed[^>]*>\s*<id>[^<]*<\/id>\s*<title>([^<]*)<\/title>/.exec(feed.body)?.[1];
    assert.equal(link.title, feedTitle);
    assert.match(link.title, /^Internet in /);

    const billing = await fetchPath(env(), `/c/${slug}?category=billing`);
    assert.equal(billing.status, 200);
    const links = feedLinks(billing.body);
    assert.ok(links.length > 0);
    for (const { href } of links) assert.equal((await fetchPath(env(), href)).status, 200, href);
    assert.ok(!links.some((l) => l.href.includes("/categories/")), JSON.stringify(links));
  });
});
