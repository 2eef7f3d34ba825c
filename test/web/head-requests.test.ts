import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { canonical } from "./page-cache-support.ts";

/** The headers a cache or a link checker reads from a page's GET, and expects the same from its HEAD. */
const COMPARED = ["etag", "cache-control", "vary", "content-type", "content-length", "content-encoding"];

async function answer(env: TestEnv, method: "GET" | "HEAD", url: string, headers: Record<string, string>) {
  const res = await env.app.inject({ method, url, headers });
  return {
    status: res.statusCode,
    headers: Object.fromEntries(COMPARED.map((name) => [name, res.headers[name]])),
    body: res.body,
  };
}

/** A HEAD answers with the status and headers of the GET it stands for, and no body. */
async function assertHeadLikeGet(env: TestEnv, url: string, headers: Record<string, string> = {}) {
  const head = await answer(env, "HEAD", url, headers);
  const get = await answer(env, "GET", url, headers);
  assert.equal(head.status, get.status, url);
  assert.deepEqual(head.headers, get.headers, `${url} ${JSON.stringify(headers)}`);
  assert.equal(head.body, "");
  return get;
}

describeEachDatabase("HEAD requests for pages", (env) => {
  async function pages() {
    const { slug, admin } = await buildCommunity(env());
    const topic = await buildTopic(env(), slug, admin, { title: "Router blinks red after the update" });
    // The topic list and a topic page are kept by the page cache; the front page is not.
    return { admin, urls: [`/c/${slug}`, await canonical(env(), topic.url), "/"] };
  }

  test("an anonymous page's HEAD has its GET's ETag and headers, rendered or kept, compressed or not", async () => {
    const { urls } = await pages();
    for (const url of urls)
      for (const headers of [{}, { "accept-encoding": "gzip" }] as Record<string, string>[]) {
        // The first HEAD comes before any GET: the page is rendered for it; the second is answered from the cache.
        const get = await assertHeadLikeGet(env(), url, headers);
        assert.ok(get.headers.etag, `${url} has an ETag`);
        await assertHeadLikeGet(env(), url, headers);
      }
  });

  test("a HEAD with the GET's ETag in If-None-Match is 304, as the GET is", async () => {
    const { urls } = await pages();
    for (const url of urls) {
      const { etag } = (await answer(env(), "GET", url, {})).headers;
      const conditional = await assertHeadLikeGet(env(), url, { "if-none-match": String(etag) });
      assert.equal(conditional.status, 304, url);
    }
  });

  test("a signed-in page's HEAD has its GET's headers and length", async () => {
    const { admin, urls } = await pages();
    for (const url of urls) {
      const get = await assertHeadLikeGet(env(), url, { cookie: admin.cookie });
      assert.equal(get.headers["cache-control"], "private, no-store");
    }
  });

  test("with unread notifications, the bell's link back to the page is in the HEAD's page too", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const topic = await buildTopic(env(), slug, admin, { title: "Router blinks red after the update" });
    await buildReply(env(), topic.id, members.member[0], "Mine too, since Tuesday.");
    await drainJobs(env());
    const get = await assertHeadLikeGet(env(), `/c/${slug}`, { cookie: admin.cookie });
    assert.match(get.body, /class="bell"/);
    // "Mark all read" brings the member back to this page: a HEAD rendering "/me/notifications" instead differed.
    assert.match(get.body, new RegExp(`name="next" value="/c/${slug}"`));
  });
});
