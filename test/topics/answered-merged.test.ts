import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";

// A question merged into another becomes one of its replies, as another asking, not an answer:
// the topic is "answered" only once a visible reply answers it (topics.status.ts).
describeEachDatabase("a topic whose only reply is a merged question", (env) => {
  async function merged() {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, other, helper] = members.member;
    const moderator = members.moderator[0];
    const copy = await buildTopic(env(), slug, other, { title: "Router red light again" });
    env().clock.advance(60_000);
    const original = await buildTopic(env(), slug, asker, { title: "Router shows a red light" });
    env().clock.advance(60_000);
    const merge = await env().api.post(`/api/v1/topics/${copy.id}/merge`, { intoTopicId: original.id }, moderator.auth);
    assert.equal(merge.status, 200, JSON.stringify(merge.body));
    return { slug, asker, helper, moderator, original };
  }
  const read = async (id: number) => {
    const page = await env().api.get(`/api/v1/topics/${id}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    return page.body.topic as { status: string; replyCount: number; answerCount: number };
  };
  const listed = async (slug: string, status: string) => {
    const list = await env().api.get(`/api/v1/communities/${slug}/topics?status=${status}`);
    assert.equal(list.status, 200, JSON.stringify(list.body));
    return list.body.topics.map((t: { title: string }) => t.title);
  };

  test("is open, in the topic and in the lists filtered by status", async () => {
    const { slug, original } = await merged();
    const topic = await read(original.id);
    assert.equal(topic.status, "open");
    assert.equal(topic.replyCount, 1, "the merged question is still shown among the replies");
    assert.equal(topic.answerCount, 0);
    assert.deepEqual(await listed(slug, "open"), ["Router shows a red light"]);
    assert.deepEqual(await listed(slug, "answered"), []);
  });

  test("is answered once a reply answers it, and open again when that answer is hidden", async () => {
    const { slug, helper, moderator, original } = await merged();
    const answer = await buildReply(env(), original.id, helper, "Restart it and check the cable.");
    let topic = await read(original.id);
    assert.equal(topic.status, "answered");
    assert.deepEqual([topic.replyCount, topic.answerCount], [2, 1]);
    assert.deepEqual(await listed(slug, "answered"), ["Router shows a red light"]);
    const hidden = await env().api.post(`/api/v1/posts/reply/${answer.id}/hide`, { reason: "Wrong" }, moderator.auth);
    assert.equal(hidden.status, 200, JSON.stringify(hidden.body));
    topic = await read(original.id);
    assert.equal(topic.status, "open");
    assert.deepEqual([topic.replyCount, topic.answerCount], [1, 0]);
    assert.deepEqual(await listed(slug, "open"), ["Router shows a red light"]);
    const restored = await env().api.post(`/api/v1/posts/reply/${answer.id}/restore`, {}, moderator.auth);
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    assert.equal((await read(original.id)).status, "answered");
  });

  test("a topic already answered stays answered when a question is merged into it", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, other, helper] = members.member;
    const original = await buildTopic(env(), slug, asker, { title: "Printer offline after update" });
    await buildReply(env(), original.id, helper, "Reinstall the driver.");
    const copy = await buildTopic(env(), slug, other, { title: "Printer offline since the update" });
    await buildReply(env(), copy.id, helper, "Turn it off and on.");
    const merge = await env().api.post(
      `/api/v1/topics/${copy.id}/merge`,
      { intoTopicId: original.id },
      members.moderator[0].auth,
    );
    assert.equal(merge.status, 200, JSON.stringify(merge.body));
    const topic = await read(original.id);
    assert.equal(topic.status, "answered");
    assert.deepEqual([topic.replyCount, topic.answerCount], [3, 2], "two answers and the merged question");
  });

  // The asker's "any news?" is no answer either (answersTopic): the question still waits for one.
  test("the asker's own follow-up leaves it open, posted and recounted", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker, { title: "Wi-Fi drops every evening" });
    await buildReply(env(), topic.id, asker, "Still happening, any ideas?");
    let seen = await read(topic.id);
    assert.equal(seen.status, "open");
    assert.deepEqual([seen.replyCount, seen.answerCount], [1, 0]);
    const answer = await buildReply(env(), topic.id, helper, "Change the Wi-Fi channel.");
    const hidden = await env().api.post(
      `/api/v1/posts/reply/${answer.id}/hide`,
      { reason: "Wrong" },
      members.moderator[0].auth,
    );
    assert.equal(hidden.status, 200, JSON.stringify(hidden.body));
    seen = await read(topic.id);
    assert.equal(seen.status, "open", "recounted when the helper's answer was hidden");
    assert.deepEqual([seen.replyCount, seen.answerCount], [1, 0]);
    assert.deepEqual(await listed(slug, "open"), ["Wi-Fi drops every evening"]);
  });
});
