import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { childText, childrenNamed, parseXml } from "./xml.ts";
import { fetchPath } from "./support.ts";

async function lastmods(env: TestEnv, url: string, tag: "url" | "sitemap") {
  const res = await fetchPath(env, url);
  assert.equal(res.status, 200, url);
  return new Map(childrenNamed(parseXml(res.body), tag).map((e) => [childText(e, "loc")!, childText(e, "lastmod")]));
}

describeEachDatabase("lastmod of the sitemap index", (env) => {
  test("a community's pages sitemap is as new as its newest entry, an article included", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    await buildTopic(env(), slug, members.member[0], { title: "Router blinks red" });
    env().clock.advance(3_600_000);
    const res = await env().api.post(
      `/api/v1/communities/${slug}/articles`,
      { title: "Restarting the TV box", body: "Hold the power button." },
      admin.auth,
    );
    assert.equal(res.status, 201);
    // Past the five minutes the index and the sitemaps are kept in this process.
    env().clock.advance(301_000);
    const base = env().deps.config.baseUrl;
    const pages = `${base}/c/${slug}/sitemap.xml`;
    const newest = [...(await lastmods(env(), pages, "url")).values()]
      .filter((t): t is string => t !== undefined)
      .sort()
      .at(-1);
    assert.equal(newest, new Date(env().clock.now() - 301_000).toISOString(), "the article's lastmod");
    assert.equal((await lastmods(env(), "/sitemap.xml", "sitemap")).get(pages), newest);
  });
});
