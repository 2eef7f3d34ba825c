import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildCommunity,
  buildReply,
  buildTopic,
  describeEachDatabase,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { fetchPath } from "./support.ts";

/** A public community with two questions, the newer one answered twice. */
async function world(env: TestEnv) {
  const built = await buildCommunity(env, { members: { member: 3 } });
  const [asker, helper, other] = built.members.member;
  const older = await buildTopic(env, built.slug, asker, { title: "Router blinks red" });
  env.clock.advance(60_000);
  const newer = await buildTopic(env, built.slug, asker, { title: "Buy cheap watches now" });
  env.clock.advance(60_000);
  await buildReply(env, newer.id, helper, "Restart it.");
  env.clock.advance(60_000);
  const spam = await buildReply(env, newer.id, other, "Visit my shop for watches.");
  return { ...built, older, newer, spam };
}

const hide = (env: TestEnv, admin: TestUser, type: "topic" | "reply", id: number) =>
  env.api.post(`/api/v1/posts/${type}/${id}/hide`, { reason: "spam" }, admin.auth);

/** The first answer's validators, then the answer to If-Modified-Since alone once `change` ran. */
async function afterChange(env: TestEnv, url: string, change: () => Promise<unknown>) {
  const first = await fetchPath(env, url);
  assert.equal(first.status, 200, url);
  const lastModified = String(first.headers["last-modified"]);
  assert.equal((await fetchPath(env, url, { "if-modified-since": lastModified })).status, 304, "nothing changed yet");
  await change();
  return { first, lastModified, again: await fetchPath(env, url, { "if-modified-since": lastModified }) };
}

describeEachDatabase("Conditional GET of feeds and sitemaps", (env) => {
  test("a feed whose newest topic is hidden answers If-Modified-Since with the feed without it", async () => {
    const { slug, admin, newer } = await world(env());
    const url = `/c/${slug}/feeds/latest`;
    const { again } = await afterChange(env(), url, async () => {
      env().clock.advance(3_600_000);
      assert.equal((await hide(env(), admin, "topic", newer.id)).status, 200);
    });
    assert.equal(again.status, 200, "the reader's copy still shows the hidden topic");
    assert.doesNotMatch(again.body, /Buy cheap watches/);
    assert.ok(Number.isFinite(Date.parse(String(again.headers["last-modified"]))), "a Last-Modified is still sent");
  });

  test("a topic feed whose newest reply is hidden in the same second is not 304 either", async () => {
    const { admin, newer, spam, slug } = await world(env());
    const url = `/c/${slug}/feeds/topics/${newer.id}`;
    const { again } = await afterChange(env(), url, async () => {
      assert.equal((await hide(env(), admin, "reply", spam.id)).status, 200);
    });
    assert.equal(again.status, 200, "an HTTP date cannot tell two versions of one second apart");
    assert.doesNotMatch(again.body, /Visit my shop/);
  });

  test("the new Last-Modified holds for later requests until the next change", async () => {
    const { slug, admin, newer } = await world(env());
    const url = `/c/${slug}/feeds/latest`;
    const { again } = await afterChange(env(), url, async () => {
      env().clock.advance(60_000);
      await hide(env(), admin, "topic", newer.id);
    });
    env().clock.advance(60_000);
    const since = String(again.headers["last-modified"]);
    assert.equal((await fetchPath(env(), url, { "if-modified-since": since })).status, 304);
    assert.equal((await fetchPath(env(), url)).headers["last-modified"], since, "unchanged bytes keep their date");
  });

  test("If-None-Match decides alone when both are sent (RFC 9110 13.1.3)", async () => {
    const { slug, admin, newer } = await world(env());
    const url = `/c/${slug}/feeds/latest`;
    const { first } = await afterChange(env(), url, async () => {
      env().clock.advance(60_000);
      await hide(env(), admin, "topic", newer.id);
    });
    const current = await fetchPath(env(), url);
    const future = new Date(env().clock.now() + 86_400_000).toUTCString();
    const stale = await fetchPath(env(), url, {
      "if-none-match": String(first.headers.etag),
      "if-modified-since": future,
    });
    assert.equal(stale.status, 200, "an old ETag is not rescued by a late date");
    const fresh = await fetchPath(env(), url, {
      "if-none-match": String(current.headers.etag),
      "if-modified-since": new Date(0).toUTCString(),
    });
    assert.equal(fresh.status, 304, "the current ETag wins over an early date");
  });

  test("a topic sitemap rebuilt without a hidden topic answers If-Modified-Since with the new sitemap", async () => {
    const { slug, admin, newer } = await world(env());
    const url = `/c/${slug}/sitemap-topics.xml?after=0`;
    const { again } = await afterChange(env(), url, async () => {
      await hide(env(), admin, "topic", newer.id);
      // Past the sitemap's 5 minutes in this process's memory.
      env().clock.advance(600_000);
    });
    assert.equal(again.status, 200);
    assert.doesNotMatch(again.body, new RegExp(`/t/${newer.id}/`));
  });
});

describeEachDatabase("Conditional HEAD of feeds and sitemaps", (env) => {
  test("a 304 to HEAD claims no Content-Length of 0 for a document that has bytes (RFC 9110, 8.6)", async () => {
    const { slug } = await world(env());
    for (const url of [`/c/${slug}/feeds/latest`, "/sitemap.xml", "/robots.txt"]) {
      const get = await fetchPath(env(), url);
      assert.equal(get.status, 200, url);
      const head = await env().app.inject({
        method: "HEAD",
        url,
        headers: { "if-none-match": String(get.headers.etag) },
      });
      assert.equal(head.statusCode, 304, url);
      const length = head.headers["content-length"];
      assert.ok(length === undefined || length === get.headers["content-length"], `${url}: Content-Length ${length}`);
    }
  });
});
