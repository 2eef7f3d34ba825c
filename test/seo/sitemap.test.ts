import zlib from "node:zlib";
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, buildUser, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { topicChunks } from "../../src/seo/seo.queries.ts";
import { topicSitemap } from "../../src/seo/seo.sitemap.ts";
import { childText, childrenNamed, parseXml } from "./xml.ts";
import { fetchPath, robotsAllow } from "./support.ts";

const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";

/** Sitemaps and robots.txt are kept for five minutes: move past that so the next fetch sees the changes. */
const pastCache = (env: TestEnv) => env.clock.advance(301_000);

async function sitemap(env: TestEnv, url: string) {
  const res = await fetchPath(env, url);
  assert.equal(res.status, 200, url);
  assert.match(String(res.headers["content-type"]), /^application\/xml/);
  const root = parseXml(res.body);
  assert.equal(root.attrs.xmlns, SITEMAP_NS);
  return root;
}

const locs = (root: ReturnType<typeof parseXml>, tag: "url" | "sitemap") =>
  childrenNamed(root, tag).map((entry) => ({ loc: childText(entry, "loc")!, lastmod: childText(entry, "lastmod") }));

/** A public community with a visible topic, a private-scope one, a hidden one and a champions-only one; and a private community. */
async function world(env: TestEnv) {
  const open = await buildCommunity(env, { categories: ["Help", "Billing", "Inner circle"], members: { member: 1 } });
  const [help, billing, inner] = open.categories;
  await env.deps.db.updateTable("categories").set({ scope: "private" }).where("id", "=", billing.id).execute();
  await env.deps.db.updateTable("categories").set({ championsOnly: 1 }).where("id", "=", inner.id).execute();
  const asker = open.members.member[0];
  const visible = await buildTopic(env, open.slug, asker, { title: "Router blinks red at night", categoryId: help.id });
  env.clock.advance(60_000);
  const privateScope = await buildTopic(env, open.slug, asker, { title: "My invoice IBAN", categoryId: billing.id });
  const hidden = await buildTopic(env, open.slug, asker, { title: "Cheap watches here" });
  await env.deps.db.updateTable("topics").set({ moderationState: "hidden" }).where("id", "=", hidden.id).execute();
  const champions = await buildTopic(env, open.slug, open.admin, { title: "Champions plan", categoryId: inner.id });
  const closed = await buildCommunity(env, { visibility: "private" });
  const secret = await buildTopic(env, closed.slug, closed.admin, { title: "Secret roadmap" });
  const article = await env.api.post(
    `/api/v1/communities/${open.slug}/articles`,
    { title: "Resetting the router", body: "Hold the button." },
    open.admin.auth,
  );
  assert.equal(article.status, 201);
  pastCache(env);
  return {
    open,
    closed,
    visible,
    privateScope,
    hidden,
    champions,
    secret,
    article: article.body.article ?? article.body,
  };
}

describeEachDatabase("sitemaps and robots.txt", (env) => {
  test("the index lists every public community's sitemaps and never a private community", async () => {
    const { open, closed } = await world(env());
    const base = env().deps.config.baseUrl;
    const index = await sitemap(env(), "/sitemap.xml");
    assert.equal(index.name, "sitemapindex");
    const entries = locs(index, "sitemap");
    const mine = entries.filter((e) => e.loc.startsWith(`${base}/c/${open.slug}/`)).map((e) => e.loc);
    assert.deepEqual(mine, [`${base}/c/${open.slug}/sitemap.xml`, `${base}/c/${open.slug}/sitemap-topics.xml?after=0`]);
    assert.ok(
      entries.every((e) => /^\d{4}-\d\d-\d\dT/.test(e.lastmod ?? "")),
      "every sitemap has a lastmod",
    );
    assert.ok(!entries.some((e) => e.loc.includes(closed.slug)), "a private community is not listed");
    for (const url of [`/c/${closed.slug}/sitemap.xml`, `/c/${closed.slug}/sitemap-topics.xml?after=0`])
      assert.equal((await fetchPath(env(), url)).status, 404, url);
  });

  test("a community's topics sitemap lists only what anonymous visitors may read, with the last activity", async () => {
    const { open, visible, privateScope, hidden, champions } = await world(env());
    const base = env().deps.config.baseUrl;
    const root = await sitemap(env(), `/c/${open.slug}/sitemap-topics.xml?after=0`);
    assert.equal(root.name, "urlset");
    const urls = locs(root, "url");
    assert.deepEqual(urls, [
      { loc: `${base}/c/${open.slug}/t/${visible.id}/router-blinks-red-at-night`, lastmod: visible.lastActivityAt },
    ]);
    const body = (await fetchPath(env(), `/c/${open.slug}/sitemap-topics.xml?after=0`)).body;
    for (const topic of [privateScope, hidden, champions]) assert.doesNotMatch(body, new RegExp(`/t/${topic.id}/`));
    assert.doesNotMatch(body, /IBAN|iban|watches|champions-plan/);
    assert.equal((await fetchPath(env(), `/c/${open.slug}/sitemap-topics.xml?after=-1`)).status, 404);
    // Past the largest id the database column holds: PostgreSQL refused the comparison with a 500.
    assert.equal((await fetchPath(env(), `/c/${open.slug}/sitemap-topics.xml?after=2147483648`)).status, 404);
  });

  test("the pages sitemap lists the home page, readable categories, articles and helpers", async () => {
    const { open, article } = await world(env());
    const base = `${env().deps.config.baseUrl}/c/${open.slug}`;
    const urls = locs(await sitemap(env(), `/c/${open.slug}/sitemap.xml`), "url").map((u) => u.loc);
    assert.deepEqual(urls, [base, `${base}?category=help`, `${base}/kb`, `${base}/kb/${article.id}`]);
  });

  test("topic sitemaps are cut by keyset: each starts after the last id of the one before", async () => {
    const { slug, community, members } = await buildCommunity(env(), { members: { member: 1 } });
    const ids: number[] = [];
    for (const title of ["First question", "Second question", "Third question", "Fourth question", "Fifth question"])
      ids.push((await buildTopic(env(), slug, members.member[0], { title })).id);
    const chunks = await topicChunks(env().deps.db, community.id, 2);
    assert.deepEqual(
      chunks.map((c) => c.after),
      [0, ids[1], ids[3]],
    );
    const row = { ...community, createdAt: community.createdAt };
    for (const [i, chunk] of chunks.entries()) {
      const doc = await topicSitemap(env().deps, row, chunk.after, 2);
      const got = locs(parseXml(doc.body), "url").map((u) => Number(/\/t\/(\d+)\//.exec(u.loc)![1]));
      assert.deepEqual(got, ids.slice(i * 2, i * 2 + 2));
    }
  });

  test("sitemaps are cached for five minutes, then show changes; conditional GET answers 304", async () => {
    const { open, visible } = await world(env());
    const url = `/c/${open.slug}/sitemap-topics.xml?after=0`;
    const first = await fetchPath(env(), url);
    assert.match(String(first.headers["cache-control"]), /public, max-age=300/);
    const again = await fetchPath(env(), url, { "if-none-match": String(first.headers.etag) });
    assert.equal(again.status, 304);
    await env().deps.db.updateTable("topics").set({ moderationState: "hidden" }).where("id", "=", visible.id).execute();
    pastCache(env());
    const changed = await fetchPath(env(), url, { "if-none-match": String(first.headers.etag) });
    assert.equal(changed.status, 200);
    assert.doesNotMatch(changed.body, new RegExp(`/t/${visible.id}/`));
  });

  test("sitemaps and feeds go out compressed when accepted, with an ETag per encoding that revalidates", async () => {
    const open = await buildCommunity(env());
    // Enough topics for documents worth compressing (over 1 KB).
    for (let i = 0; i < 12; i++) await buildTopic(env(), open.slug, open.admin, { title: `Router question ${i}` });
    for (const url of [`/c/${open.slug}/sitemap-topics.xml?after=0`, `/c/${open.slug}/feeds/latest`]) {
      const plain = await env().app.inject({ method: "GET", url });
      assert.equal(plain.headers["content-encoding"], undefined);
      for (const [encoding, decode] of [
        ["br", zlib.brotliDecompressSync],
        ["gzip", zlib.gunzipSync],
      ] as const) {
        const res = await env().app.inject({ method: "GET", url, headers: { "accept-encoding": encoding } });
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers["content-encoding"], encoding, `${url} in ${encoding}`);
        assert.equal(decode(res.rawPayload).toString(), plain.body, "the same document");
        assert.ok(res.rawPayload.length < plain.rawPayload.length);
        assert.equal(res.headers.etag, String(plain.headers.etag).replace(/"$/, `-${encoding}"`));
        const again = await fetchPath(env(), url, {
          "accept-encoding": encoding,
          "if-none-match": String(res.headers.etag),
        });
        assert.equal(again.status, 304);
      }
    }
  });

  test("robots.txt keeps crawlers out of search, forms, account, admin and the API, and points to the sitemap", async () => {
    const { open, closed, visible } = await world(env());
    const res = await fetchPath(env(), "/robots.txt");
    assert.equal(res.status, 200);
    assert.match(String(res.headers["content-type"]), /^text\/plain/);
    const robots = res.body;
    assert.match(robots, /^User-agent: \*$/m);
    assert.match(robots, new RegExp(`^Sitemap: ${env().deps.config.baseUrl}/sitemap.xml$`, "m"));
    assert.doesNotMatch(robots, new RegExp(closed.slug), "private communities are not named");
    const c = `/c/${open.slug}`;
    for (const path of [
      "/",
      c,
      `${c}?category=help`,
      visible.url,
      `${c}/t/${visible.id}/new-router-search-members`,
      `${c}/kb`,
      `${c}/kb/3`,
      `${c}/u/7`,
      `${c}/helpers/7`,
      `${c}/leaderboard`,
      `${c}/service-friends`,
      "/sitemap.xml",
    ])
      assert.ok(robotsAllow(robots, path), `${path} is allowed`);
    for (const path of [
      `${c}/search?q=router`,
      `${c}/new`,
      `${c}/members`,
      `${c}/staff`,
      `${c}/admin/support`,
      `${c}/settings`,
      `${c}/review-queue`,
      `${c}/kb/new`,
      `${c}/kb/3/edit`,
      `${c}/r/5/edit`,
      `${c}/service-friends/apply`,
      "/login?next=/",
      "/signup",
      "/me/notifications",
      "/admin/emails",
      "/api/v1/communities",
    ])
      assert.ok(!robotsAllow(robots, path), `${path} is disallowed`);
  });

  test("a community made private stops serving its cached sitemaps at once", async () => {
    const { open, visible } = await world(env());
    const urls = [`/c/${open.slug}/sitemap.xml`, `/c/${open.slug}/sitemap-topics.xml?after=0`];
    assert.match((await fetchPath(env(), urls[1])).body, new RegExp(`/t/${visible.id}/`));
    assert.equal((await fetchPath(env(), urls[0])).status, 200);
    await env()
      .deps.db.updateTable("communities")
      .set({ visibility: "private" })
      .where("id", "=", open.community.id)
      .execute();
    // Well within the cache period: the titles of the now private community must not be served from it.
    env().clock.advance(1000);
    for (const url of urls) {
      const res = await fetchPath(env(), url);
      assert.equal(res.status, 404, url);
      assert.doesNotMatch(res.body, /router-blinks-red/, url);
    }
  });

  test("a community made public later appears after the cache period", async () => {
    const closed = await buildCommunity(env(), { visibility: "private" });
    await buildUser(env());
    pastCache(env());
    assert.doesNotMatch((await fetchPath(env(), "/sitemap.xml")).body, new RegExp(closed.slug));
    await env()
      .deps.db.updateTable("communities")
      .set({ visibility: "public" })
      .where("id", "=", closed.community.id)
      .execute();
    pastCache(env());
    assert.match((await fetchPath(env(), "/sitemap.xml")).body, new RegExp(`/c/${closed.slug}/sitemap.xml`));
  });
});
