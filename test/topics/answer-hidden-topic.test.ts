import { test } from "node:test";
import assert from "node:assert/strict";
import {
  actorOf,
  buildCommunity,
  buildReply,
  buildTopic,
  describeEachDatabase,
  openingTransactionAfter,
} from "../helpers.ts";
import { createReply, createTopicComment } from "../../src/topics/topics.posting.ts";

// A member answering a topic a moderator hides after the use case's checks and before its
// transaction (openingTransactionAfter): the topic is no longer theirs to read, so it takes nothing
// from them, as the same post a moment later would be refused (404), and its counters stay as they were.
describeEachDatabase("a reply or comment sent while a moderator hides the topic", (env) => {
  test("is refused (404): nothing is saved, the reply count and last activity stay; the asker may still post", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker, { title: "Router drops Wi-Fi at night" });
    const hide = async () => {
      const res = await env().api.post(
        `/api/v1/posts/topic/${topic.id}/hide`,
        { reason: "Spam" },
        members.moderator[0].auth,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };
    const stored = () =>
      env()
        .deps.db.selectFrom("topics")
        .select(["replyCount", "lastActivityAt"])
        .where("id", "=", topic.id)
        .executeTakeFirstOrThrow();
    const before = await stored();
    env().clock.advance(60_000);
    await assert.rejects(
      createReply(openingTransactionAfter(env().deps, hide), topic.id, actorOf(helper), "Restart it."),
      (error: { status?: number }) => error.status === 404,
    );
    await assert.rejects(
      createTopicComment(env().deps, topic.id, actorOf(helper), "Which model is it?"),
      (error: { status?: number }) => error.status === 404,
    );
    assert.deepEqual(await stored(), before);
    const replies = await env().deps.db.selectFrom("replies").select("id").where("topicId", "=", topic.id).execute();
    assert.deepEqual(replies, []);

    // The same race for a comment on the question, on a second topic.
    const other = await buildTopic(env(), slug, asker, { title: "Router drops Wi-Fi by day" });
    const hideOther = async () => {
      const res = await env().api.post(
        `/api/v1/posts/topic/${other.id}/hide`,
        { reason: "Spam" },
        members.moderator[0].auth,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
    };
    await assert.rejects(
      createTopicComment(openingTransactionAfter(env().deps, hideOther), other.id, actorOf(helper), "Which model?"),
      (error: { status?: number }) => error.status === 404,
    );
    const comments = await env().deps.db.selectFrom("comments").select("id").where("topicId", "=", other.id).execute();
    assert.deepEqual(comments, []);

    // The asker still sees their hidden topic and may add to it.
    await buildReply(env(), topic.id, asker, "It happens on the 5 GHz band only.");
  });
});
