import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { anonymous, assertCached, canonical } from "../web/page-cache-support.ts";

const SECOND = 1000;

/** A topic whose poll closes `inMs` from now, and its page as anonymous visitors get it. */
async function topicWithClosingPoll(env: TestEnv, inMs: number) {
  const { slug, members } = await buildCommunity(env, { members: { member: 1 } });
  const [author] = members.member;
  const topic = await buildTopic(env, slug, author, { title: "Which router suits a flat?" });
  const closesAt = new Date(env.clock.now() + inMs).toISOString();
  const created = await env.api.post(
    `/api/v1/topics/${topic.id}/poll`,
    { options: ["Router", "Mesh"], closesAt },
    author.auth,
  );
  assert.equal(created.status, 201);
  return canonical(env, topic.url);
}

describeEachDatabase("a poll closing by time and the anonymous page cache", (env) => {
  test("the cached page that shows the poll open is not served once the poll has closed", async () => {
    const page = await topicWithClosingPoll(env(), 30 * SECOND);
    const open = await assertCached(env(), page);
    assert.match(open.body, /Closes <time/);

    // Until the closing time the page stays in the cache.
    env().clock.advance(29 * SECOND);
    assert.equal((await anonymous(env(), page)).headers["x-page-cache"], "hit");

    // The cache keeps pages for 60 seconds: this is well within, but past the poll's closing time.
    env().clock.advance(2 * SECOND);
    const closed = await anonymous(env(), page);
    assert.notEqual(
      closed.headers["x-page-cache"],
      "hit",
      "the page showing the poll open is not served past its close",
    );
    assert.match(closed.body, /Closed <time/);
    assert.doesNotMatch(closed.body, /Closes <time|Log in to vote/);
    // The closed page is kept in its turn.
    assert.equal((await anonymous(env(), page)).headers["x-page-cache"], "hit");
  });

  test("a visitor revalidating the open page's ETag after the close gets the closed page, not a 304", async () => {
    const page = await topicWithClosingPoll(env(), 10 * SECOND);
    const open = await assertCached(env(), page);
    const etag = String(open.headers.etag);
    assert.equal((await anonymous(env(), page, { "if-none-match": etag })).status, 304, "unchanged before the close");

    env().clock.advance(10 * SECOND);
    const again = await anonymous(env(), page, { "if-none-match": etag });
    assert.equal(again.status, 200);
    assert.notEqual(again.headers.etag, etag);
    assert.match(again.body, /Closed <time/);
  });

  test("a poll closing after the cache's own limit leaves the page its usual lifetime", async () => {
    const page = await topicWithClosingPoll(env(), 3_600 * SECOND);
    await assertCached(env(), page);
    env().clock.advance(59 * SECOND);
    assert.equal((await anonymous(env(), page)).headers["x-page-cache"], "hit");
    env().clock.advance(SECOND);
    assert.notEqual((await anonymous(env(), page)).headers["x-page-cache"], "hit");
  });
});
