import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { viewCountsOf } from "../../src/topics/topics.viewcount.ts";

// A merged topic only leads to the one it went into: its readers count there.
describeEachDatabase("views of a merged topic", (env) => {
  test("move to the topic it was merged into", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, other] = members.member;
    const original = await buildTopic(env(), slug, asker, { title: "Router shows a red light" });
    const copy = await buildTopic(env(), slug, other, { title: "Router red light again" });
    const counts = viewCountsOf(env().deps);
    for (const [id, views] of [
      [original.id, 2],
      [copy.id, 3],
    ])
      for (let i = 0; i < views; i++) counts.record(id);
    await counts.flush(env().deps);
    const merge = await env().api.post(
      `/api/v1/topics/${copy.id}/merge`,
      { intoTopicId: original.id },
      members.moderator[0].auth,
    );
    assert.equal(merge.status, 200, JSON.stringify(merge.body));
    const read = await env().api.get(`/api/v1/topics/${original.id}`);
    assert.equal(read.body.topic.viewCount, 5);
    const left = await env()
      .deps.db.selectFrom("topicViews")
      .select("viewCount")
      .where("topicId", "=", copy.id)
      .executeTakeFirst();
    assert.equal(left, undefined, "the merged topic keeps none: a sum over topics counts them once");
  });
});
