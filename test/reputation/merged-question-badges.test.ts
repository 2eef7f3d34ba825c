import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { awardBadges } from "../../src/reputation/reputation.badges.ts";

/**
 * A question merged into another topic becomes a reply there, but it is another asking, not an
 * answer: its asker does not earn the answer badges for it (before, the next badge check gave a
 * member who never answered anything "first answer").
 */
describeEachDatabase("badges after a merge", (env) => {
  test("a merged question earns its asker no answer badge; an answer does", async () => {
    const { slug, community, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, other] = members.member;
    const [moderator] = members.moderator;
    const duplicate = await buildTopic(env(), slug, asker, { title: "Router blinks red after update" });
    const original = await buildTopic(env(), slug, other, { title: "Router keeps blinking red" });
    const merged = await env().api.post(
      `/api/v1/topics/${duplicate.id}/merge`,
      { intoTopicId: original.id },
      moderator.auth,
    );
    assert.equal(merged.status, 200, JSON.stringify(merged.body));

    assert.deepEqual(await awardBadges(env().deps, community.id, asker.id), [], "no badge for the merged question");
    await buildReply(env(), original.id, asker, "Mine stopped blinking after a reset.");
    assert.deepEqual(await awardBadges(env().deps, community.id, asker.id), ["first_answer"], "for a real answer");
  });
});
