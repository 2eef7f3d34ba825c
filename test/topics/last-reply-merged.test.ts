import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";

// A question merged into another becomes one of its replies, as another asking: the list's
// "last reply" stays the last answer, not the merged question (older, though its row is newer).
describeEachDatabase("the topic list's last reply after a merge", (env) => {
  test("names the last answer, not the question merged in", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, other, helper] = members.member;
    const copy = await buildTopic(env(), slug, other, { title: "Router red light again" });
    env().clock.advance(60_000);
    const original = await buildTopic(env(), slug, asker, { title: "Router shows a red light" });
    env().clock.advance(60_000);
    await buildReply(env(), original.id, helper, "Restart it and check the cable.");
    const merge = await env().api.post(
      `/api/v1/topics/${copy.id}/merge`,
      { intoTopicId: original.id },
      members.moderator[0].auth,
    );
    assert.equal(merge.status, 200, JSON.stringify(merge.body));
    const list = await env().api.get(`/api/v1/communities/${slug}/topics`, asker.auth);
    assert.equal(list.status, 200);
    const listed = list.body.topics.find((t: { id: number }) => t.id === original.id);
    assert.equal(listed.lastReply?.author.id, helper.id, JSON.stringify(listed.lastReply));
  });
});
