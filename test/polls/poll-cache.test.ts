import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { anonymous, assertCached, canonical, fresh } from "../web/page-cache-support.ts";

/** A community with two topics, their pages and its list. */
async function communityWithTopics(env: TestEnv) {
  const { slug, members } = await buildCommunity(env, { members: { member: 2 } });
  const [author, voter] = members.member;
  const topic = await buildTopic(env, slug, author, { title: "Which router suits a flat?" });
  const other = await buildTopic(env, slug, author, { title: "Television has no sound" });
  const page = await canonical(env, topic.url);
  return { author, voter, topic, page, otherPage: await canonical(env, other.url), list: `/c/${slug}` };
}

/** Every page cached, once all the communities exist (a new member's account invalidates the whole site). */
async function cacheAll(env: TestEnv, urls: string[]): Promise<void> {
  for (const url of urls) await assertCached(env, url);
}

/** Pages a poll's change must leave in the cache: those of its community's other topics and of other communities. */
async function assertStillCached(env: TestEnv, urls: string[]): Promise<void> {
  for (const url of urls) {
    assert.equal((await anonymous(env, url)).headers["x-page-cache"], "hit", `${url} did not change`);
  }
}

describeEachDatabase("polls and the anonymous page cache", (env) => {
  test("a new poll re-renders its topic page and leaves other topics and communities cached", async () => {
    const here = await communityWithTopics(env());
    const elsewhere = await communityWithTopics(env());
    await cacheAll(env(), [here.page, here.otherPage, elsewhere.page, elsewhere.otherPage, elsewhere.list]);

    const created = await env().api.post(
      `/api/v1/topics/${here.topic.id}/poll`,
      { options: ["Router", "Mesh"] },
      here.author.auth,
    );
    assert.equal(created.status, 201);
    assert.match((await fresh(env(), here.page)).body, /id="poll"/);
    await assertStillCached(env(), [elsewhere.page, elsewhere.otherPage, elsewhere.list, here.otherPage]);
  });

  test("a vote re-renders its poll's topic page and leaves other topics and communities cached", async () => {
    const here = await communityWithTopics(env());
    const elsewhere = await communityWithTopics(env());
    const { poll } = (
      await env().api.post(`/api/v1/topics/${here.topic.id}/poll`, { options: ["Router", "Mesh"] }, here.author.auth)
    ).body;
    await cacheAll(env(), [elsewhere.page, elsewhere.otherPage, elsewhere.list, here.otherPage]);
    assert.match((await assertCached(env(), here.page)).body, /0 members voted/);

    for (const option of poll.options) {
      const voted = await env().api.post(`/api/v1/polls/${poll.id}/votes`, { optionIds: [option.id] }, here.voter.auth);
      assert.equal(voted.status, 200);
      const page = (await fresh(env(), here.page)).body;
      assert.match(page, /1 member voted/);
      assert.match(page, new RegExp(`${option.label}</span> <meter min="0" max="100" value="100"`));
      await assertStillCached(env(), [elsewhere.page, elsewhere.otherPage, elsewhere.list, here.otherPage]);
      await assertCached(env(), here.page);
    }
  });
});
