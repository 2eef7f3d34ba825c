import { test } from "node:test";
import assert from "node:assert/strict";
import { TEST_PASSWORD, buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";

describeEachDatabase("a deleted account's follows", (env) => {
  test("each topic it followed counts its followers again without it", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, leaver, stayer] = members.member;
    const topics = [
      await buildTopic(env(), slug, asker),
      await buildTopic(env(), slug, asker, { title: "Fibre line keeps dropping" }),
    ];
    for (const topic of topics) {
      for (const follower of [leaver, stayer])
        assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, follower.auth)).status, 200);
    }
    const count = async (topicId: number) =>
      (await env().api.get(`/api/v1/topics/${topicId}`, asker.auth)).body.topic.followerCount;
    assert.equal(await count(topics[0].id), 2);

    const deleted = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, leaver.auth);
    assert.equal(deleted.status, 204, JSON.stringify(deleted.body));

    for (const topic of topics) assert.equal(await count(topic.id), 1, `topic ${topic.id}: the stayer`);
    const follows = await env()
      .deps.db.selectFrom("follows")
      .select("userId")
      .where("userId", "=", leaver.id)
      .execute();
    assert.deepEqual(follows, []);
  });
});
