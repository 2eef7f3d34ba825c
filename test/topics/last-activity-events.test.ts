import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase, type TestEnv } from "../helpers.ts";

async function lastActivity(env: TestEnv, topicId: number): Promise<number> {
  const row = await env.deps.db
    .selectFrom("topics")
    .select("lastActivityAt")
    .where("id", "=", topicId)
    .executeTakeFirstOrThrow();
  return Number(row.lastActivityAt);
}

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
