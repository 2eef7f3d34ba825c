import { test } from "node:test";
import assert from "node:assert/strict";
import {
  actOnQueuedPost,
  actorOf,
  buildCommunity,
  buildReply,
  buildTopic,
  describeEachDatabase,
  openingTransactionAfter,
  type TestEnv,
} from "../helpers.ts";
import { vote } from "../../src/topics/topics.reactions.ts";

/** The reply's score as stored and the votes cast on it. */
async function stored(env: TestEnv, replyId: number) {
  const { score } = await env.deps.db
    .selectFrom("replies")
    .select("score")
    .where("id", "=", replyId)
    .executeTakeFirstOrThrow();
  const votes = await env.deps.db
    .selectFrom("votes")
    .select("userId")
    .where("targetType", "=", "reply")
    .where("targetId", "=", replyId)
    .execute();
  return { score: Number(score), votes: votes.length };
}

// The moderator acts on the reply's topic after vote's checks and before its transaction
// (openingTransactionAfter): on both engines the vote must find the topic as it is then.
describeEachDatabase("a vote on a reply while moderators act on its topic", (env) => {
  async function setting() {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, helper, voter] = members.member;
    const moderator = members.moderator[0];
    const topic = await buildTopic(env(), slug, asker, { title: "Router drops Wi-Fi at night" });
    const reply = await buildReply(env(), topic.id, helper, "Change the Wi-Fi channel.");
    return { slug, asker, voter, moderator, topic, reply };
  }
  const ok = (res: { status: number; body: unknown }, status = 200) =>
    assert.equal(res.status, status, JSON.stringify(res.body));

  test("a topic hidden meanwhile takes no vote on its replies (404)", async () => {
    const { voter, moderator, topic, reply } = await setting();
    const hide = async () =>
      ok(await env().api.post(`/api/v1/posts/topic/${topic.id}/hide`, { reason: "Spam" }, moderator.auth));
    await assert.rejects(
      vote(openingTransactionAfter(env().deps, hide), "reply", reply.id, actorOf(voter), 1),
      (error: { status?: number }) => error.status === 404,
    );
    assert.deepEqual(await stored(env(), reply.id), { score: 0, votes: 0 });
  });

  test("a topic deleted meanwhile takes no vote on its replies (404)", async () => {
    const { slug, asker, voter, moderator, topic, reply } = await setting();
    const deleteIt = async () => {
      ok(await env().api.post(`/api/v1/posts/topic/${topic.id}/flags`, { reason: "abuse" }, voter.auth), 201);
      await actOnQueuedPost(env(), slug, moderator, topic.id, "delete", { reason: "Abuse" });
    };
    await assert.rejects(
      vote(openingTransactionAfter(env().deps, deleteIt), "reply", reply.id, actorOf(asker), 1),
      (error: { status?: number }) => error.status === 404,
    );
    assert.deepEqual(await stored(env(), reply.id), { score: 0, votes: 0 });
  });

  test("a topic merged meanwhile: the vote is refused (409), then counts on the topic the reply went to", async () => {
    const { slug, asker, voter, moderator, topic, reply } = await setting();
    const original = await buildTopic(env(), slug, asker, { title: "Wi-Fi drops every night" });
    const merge = async () =>
      ok(await env().api.post(`/api/v1/topics/${topic.id}/merge`, { intoTopicId: original.id }, moderator.auth));
    await assert.rejects(
      vote(openingTransactionAfter(env().deps, merge), "reply", reply.id, actorOf(voter), 1),
      (error: { status?: number }) => error.status === 409,
    );
    assert.deepEqual(await stored(env(), reply.id), { score: 0, votes: 0 });
    ok(await env().api.put(`/api/v1/replies/${reply.id}/vote`, { value: 1 }, voter.auth));
    assert.deepEqual(await stored(env(), reply.id), { score: 1, votes: 1 });
  });

  test("a topic locked meanwhile still takes votes, as a locked topic does", async () => {
    const { voter, moderator, topic, reply } = await setting();
    const lock = async () => ok(await env().api.put(`/api/v1/topics/${topic.id}/lock`, {}, moderator.auth));
    const voted = await vote(openingTransactionAfter(env().deps, lock), "reply", reply.id, actorOf(voter), 1);
    assert.deepEqual(voted, { score: 1, value: 1 });
    ok(await env().api.put(`/api/v1/replies/${reply.id}/vote`, { value: 1 }, moderator.auth));
    assert.deepEqual(await stored(env(), reply.id), { score: 2, votes: 2 });
  });

  test("the topic's author and reviewers still vote on the replies of a topic hidden meanwhile", async () => {
    const { asker, moderator, topic, reply } = await setting();
    const hide = async () =>
      ok(await env().api.post(`/api/v1/posts/topic/${topic.id}/hide`, { reason: "Spam" }, moderator.auth));
    const voted = await vote(openingTransactionAfter(env().deps, hide), "reply", reply.id, actorOf(asker), 1);
    assert.deepEqual(voted, { score: 1, value: 1 });
  });
});
