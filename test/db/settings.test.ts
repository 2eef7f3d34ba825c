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
});
