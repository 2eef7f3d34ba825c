import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { DEFAULT_MODERATION_SETTINGS } from "../../src/moderation/moderation.settings.ts";

describeEachDatabase("community settings as stored", (env) => {
  test("a section stored as text that is not JSON reads as its defaults, not a 500", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    await env()
      .deps.db.insertInto("communitySettings")
      .values({ communityId: community.id, section: "moderation", value: "{not json", updatedAt: env().clock.now() })
      .execute();
    const read = await env().api.get(`/api/v1/communities/${slug}/settings/moderation`, admin.auth);
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.equal(read.body.settings.topicsPerHour, DEFAULT_MODERATION_SETTINGS.topicsPerHour);
    // Posting reads the section too (screening).
    const topic = await buildTopic(env(), slug, members.member[0]);
    assert.ok(topic.id > 0);
    const saved = await env().api.patch(
      `/api/v1/communities/${slug}/settings/moderation`,
      { topicsPerHour: 7 },
      admin.auth,
    );
    assert.equal(saved.status, 200);
    const again = await env().api.get(`/api/v1/communities/${slug}/settings/moderation`, admin.auth);
    assert.equal(again.body.settings.topicsPerHour, 7, "the next save writes a readable section");
  });

  test("the reputation section: unreadable or unfit, its ranks and thresholds are the defaults everywhere", async () => {
    const { community, slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const store = (value: string) =>
      env()
        .deps.db.insertInto("communitySettings")
        .values({ communityId: community.id, section: "reputation", value, updatedAt: env().clock.now() })
        .onConflict((oc) => oc.columns(["communityId", "section"]).doUpdateSet({ value }))
        .execute();
    const postLink = () =>
      env().api.post(
        `/api/v1/communities/${slug}/topics`,
        { kind: "question", title: "A question with a link in it", body: "See https://example.com/fix here." },
        members.member[0].auth,
      );

    await store("{not json");
    const page = await env().api.get(`/api/v1/communities/${slug}`, admin.auth);
    assert.equal(page.status, 200, "one community's stored settings never take it down");
    assert.equal((await postLink()).status, 403, "links take the default 10 kudos");

    // Thresholds the schema refuses (below 0) and ranks that do not go up: the page shows the defaults,
    // and the defaults are what is enforced (a member with 0 kudos may not post a link).
    await store(JSON.stringify({ thresholds: { "post.links": -5 }, ranks: [{ name: "Boss", minKudos: 5 }] }));
    const shown = await env().api.get(`/api/v1/communities/${slug}/settings/reputation`, admin.auth);
    assert.equal(shown.status, 200);
    assert.equal(shown.body.settings.thresholds["post.links"], 10);
    assert.equal((await postLink()).status, 403);
  });
});
