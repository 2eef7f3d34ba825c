import { test } from "node:test";
import assert from "node:assert/strict";
import {
  actOnQueuedPost,
  buildCommunity,
  buildReply,
  buildTopic,
  describeEachDatabase,
  type TestEnv,
} from "../helpers.ts";
import { assertCached, fresh } from "../web/page-cache-support.ts";

async function lastActivity(env: TestEnv, topicId: number): Promise<number> {
  const row = await env.deps.db
    .selectFrom("topics")
    .select("lastActivityAt")
    .where("id", "=", topicId)
    .executeTakeFirstOrThrow();
  return Number(row.lastActivityAt);
}

// A topic's last activity (the list's "active" time and its default order) follows what readers
// see: its latest reply hidden or deleted takes it back to the latest post still shown.
describeEachDatabase("a topic's last activity when its latest reply is moderated", (env) => {
  async function setting() {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, helper, other] = members.member;
    const moderator = members.moderator[0];
    const topic = await buildTopic(env(), slug, asker, { title: "Router drops Wi-Fi at night" });
    env().clock.advance(60_000);
    const first = await buildReply(env(), topic.id, helper, "Change the Wi-Fi channel.");
    const firstAt = env().clock.now();
    env().clock.advance(60_000);
    const newer = await buildTopic(env(), slug, other, { title: "Printer offline after update" });
    env().clock.advance(60_000);
    const spam = await buildReply(env(), topic.id, other, "Buy cheap routers at example.test!");
    const spamAt = env().clock.now();
    env().clock.advance(60_000);
    return { slug, asker, helper, moderator, topic, newer, first, firstAt, spam, spamAt };
  }
  const titles = async (slug: string) => {
    const list = await env().api.get(`/api/v1/communities/${slug}/topics?sort=activity`);
    assert.equal(list.status, 200);
    return list.body.topics.map((t: { title: string }) => t.title);
  };

  test("hidden, it takes the topic back to its latest visible reply; restored, forward again", async () => {
    const { slug, moderator, topic, firstAt, spam, spamAt } = await setting();
    assert.equal(await lastActivity(env(), topic.id), spamAt);
    assert.deepEqual(await titles(slug), ["Router drops Wi-Fi at night", "Printer offline after update"]);
    const hidden = await env().api.post(`/api/v1/posts/reply/${spam.id}/hide`, { reason: "Spam" }, moderator.auth);
    assert.equal(hidden.status, 200, JSON.stringify(hidden.body));
    assert.equal(await lastActivity(env(), topic.id), firstAt);
    assert.deepEqual(await titles(slug), ["Printer offline after update", "Router drops Wi-Fi at night"]);
    const restored = await env().api.post(`/api/v1/posts/reply/${spam.id}/restore`, {}, moderator.auth);
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    assert.equal(await lastActivity(env(), topic.id), spamAt);
    assert.deepEqual(await titles(slug), ["Router drops Wi-Fi at night", "Printer offline after update"]);
  });

  test("deleted from the review queue, it takes the topic back too", async () => {
    const { slug, asker, moderator, topic, firstAt, spam } = await setting();
    const flag = await env().api.post(`/api/v1/posts/reply/${spam.id}/flags`, { reason: "spam" }, asker.auth);
    assert.equal(flag.status, 201, JSON.stringify(flag.body));
    await actOnQueuedPost(env(), slug, moderator, spam.id, "delete", { reason: "Spam" });
    assert.equal(await lastActivity(env(), topic.id), firstAt);
  });

  test("an older reply hidden leaves the last activity as it is", async () => {
    const { moderator, topic, first, spamAt } = await setting();
    const hidden = await env().api.post(`/api/v1/posts/reply/${first.id}/hide`, { reason: "Rude" }, moderator.auth);
    assert.equal(hidden.status, 200, JSON.stringify(hidden.body));
    assert.equal(await lastActivity(env(), topic.id), spamAt);
  });

  test("the anonymous list kept in the page cache shows the new order at once", async () => {
    const { slug, moderator, spam } = await setting();
    const list = `/c/${slug}`;
    const before = (await assertCached(env(), list)).body;
    assert.ok(before.indexOf("Router drops Wi-Fi at night") < before.indexOf("Printer offline after update"));
    const hidden = await env().api.post(`/api/v1/posts/reply/${spam.id}/hide`, { reason: "Spam" }, moderator.auth);
    assert.equal(hidden.status, 200, JSON.stringify(hidden.body));
    const after = (await fresh(env(), list)).body;
    assert.ok(after.indexOf("Printer offline after update") < after.indexOf("Router drops Wi-Fi at night"));
  });
});

// An acceptance or a merge makes a topic active though no post keeps its time: hiding the latest
// post takes the last activity back to the latest post still shown, never past such an event.
describeEachDatabase("a topic's last activity when a post before an acceptance or merge is hidden", (env) => {
  async function setting() {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, helper, other] = members.member;
    const moderator = members.moderator[0];
    // Asked before the answer: merged in, its question keeps that older time.
    const copy = await buildTopic(env(), slug, other, { title: "Wi-Fi gone every night" });
    env().clock.advance(60_000);
    const topic = await buildTopic(env(), slug, asker, { title: "Router drops Wi-Fi at night" });
    env().clock.advance(60_000);
    const answer = await buildReply(env(), topic.id, helper, "Change the Wi-Fi channel.");
    const answerAt = env().clock.now();
    env().clock.advance(60_000);
    return { slug, asker, helper, other, moderator, copy, topic, answer, answerAt };
  }
  const hide = async (replyId: number, auth: unknown) => {
    const hidden = await env().api.post(`/api/v1/posts/reply/${replyId}/hide`, { reason: "Spam" }, auth as never);
    assert.equal(hidden.status, 200, JSON.stringify(hidden.body));
  };
  const accept = async (topicId: number, replyId: number, auth: unknown) => {
    const accepted = await env().api.post(`/api/v1/topics/${topicId}/accept`, { replyId }, auth as never);
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  };

  test("accepted later, the hidden reply leaves the last activity at the acceptance", async () => {
    const { asker, moderator, topic, answer } = await setting();
    await accept(topic.id, answer.id, asker.auth);
    const acceptedAt = env().clock.now();
    env().clock.advance(60_000);
    await hide(answer.id, moderator.auth);
    assert.equal(await lastActivity(env(), topic.id), acceptedAt);
  });

  test("a question merged in later keeps the last activity at the merge", async () => {
    const { copy, moderator, topic, answer } = await setting();
    const merge = await env().api.post(`/api/v1/topics/${copy.id}/merge`, { intoTopicId: topic.id }, moderator.auth);
    assert.equal(merge.status, 200, JSON.stringify(merge.body));
    const mergedAt = env().clock.now();
    env().clock.advance(60_000);
    await hide(answer.id, moderator.auth);
    assert.equal(await lastActivity(env(), topic.id), mergedAt);
  });

  test("a later post hidden after an acceptance goes back to the acceptance, not before it", async () => {
    const { asker, other, moderator, topic, answer } = await setting();
    await accept(topic.id, answer.id, asker.auth);
    const acceptedAt = env().clock.now();
    env().clock.advance(60_000);
    const spam = await buildReply(env(), topic.id, other, "Buy cheap routers at example.test!");
    assert.equal(await lastActivity(env(), topic.id), env().clock.now());
    env().clock.advance(60_000);
    await hide(spam.id, moderator.auth);
    assert.equal(await lastActivity(env(), topic.id), acceptedAt);
  });

  test("with no later event, hiding the latest reply rolls back as before", async () => {
    const { topic, other, moderator, answerAt } = await setting();
    const spam = await buildReply(env(), topic.id, other, "Buy cheap routers at example.test!");
    env().clock.advance(60_000);
    await hide(spam.id, moderator.auth);
    assert.equal(await lastActivity(env(), topic.id), answerAt);
  });
});
