import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";

/**
 * A question merged into another topic lives on there as a reply, but its asker asked it: it is no
 * answer on their profile either (the top tags are those of their answers), as for the answer badges.
 */
describeEachDatabase("a profile after a merge", (env) => {
  test("a merged question is listed as asked and gives no top tag", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, other] = members.member;
    const duplicate = await buildTopic(env(), slug, asker, {
      title: "Router blinks red after update",
      tags: ["router"],
    });
    const original = await buildTopic(env(), slug, other, { title: "Router keeps blinking red", tags: ["router"] });
    const merged = await env().api.post(
      `/api/v1/topics/${duplicate.id}/merge`,
      { intoTopicId: original.id },
      members.moderator[0].auth,
    );
    assert.equal(merged.status, 200, JSON.stringify(merged.body));
    const res = await env().api.get(`/api/v1/communities/${slug}/members/${asker.id}/profile`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { topTags, recentActivity } = res.body.profile;
    assert.deepEqual(topTags, [], "no answers, so no top tags");
    assert.deepEqual(
      recentActivity.map((a: { type: string; topicId: number }) => [a.type, a.topicId]),
      [["topic", original.id]],
      "the merged question reads as asked",
    );
  });
});
