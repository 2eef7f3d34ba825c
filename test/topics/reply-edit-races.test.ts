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
import { editReply } from "../../src/topics/topics.posting.ts";

/** The reply as stored, with the number of its revisions. */
async function stored(env: TestEnv, replyId: number) {
  const reply = await env.deps.db
    .selectFrom("replies")
    .select(["body", "topicId", "moderationState", "editedAt"])
    .where("id", "=", replyId)
    .executeTakeFirstOrThrow();
  const revisions = await env.deps.db
    .selectFrom("revisions")
    .select("id")
    .where("targetType", "=", "reply")
    .where("targetId", "=", replyId)
    .execute();
  return { ...reply, revisions: revisions.length };
}

// The moderation happens after editReply's checks and before its transaction (openingTransactionAfter):
// on both engines the edit must find the reply as it is then, under its locks.
describeEachDatabase("a reply edited while moderators act on it", (env) => {
  test("a reply deleted while its author edits it is not edited (404), and no revision is kept", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, author] = members.member;
    const moderator = members.moderator[0];
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, author, "Call me on 555-0100 for help.");
    const deleteIt = async () => {
      const flag = await env().api.post(`/api/v1/posts/reply/${reply.id}/flags`, { reason: "abuse" }, asker.auth);
      assert.equal(flag.status, 201);
      await actOnQueuedPost(env(), slug, moderator, reply.id, "delete", { reason: "Personal data" });
    };
    await assert.rejects(
      editReply(openingTransactionAfter(env().deps, deleteIt), reply.id, actorOf(author), "Call me instead."),
      (error: { status?: number }) => error.status === 404,
    );
    assert.deepEqual(await stored(env(), reply.id), {
      body: "Call me on 555-0100 for help.",
      topicId: topic.id,
      moderationState: "deleted",
      editedAt: null,
      revisions: 0,
    });
  });

  test("a reply whose topic is merged while it is edited is refused (409), then editable where it went", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, author] = members.member;
    const moderator = members.moderator[0];
    const duplicate = await buildTopic(env(), slug, asker);
    const original = await buildTopic(env(), slug, asker, { title: "Router keeps blinking red" });
    const reply = await buildReply(env(), duplicate.id, author, "Hold the reset button.");
    const merge = async () => {
      const merged = await env().api.post(
        `/api/v1/topics/${duplicate.id}/merge`,
        { intoTopicId: original.id },
        moderator.auth,
      );
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
    };
    await assert.rejects(
      editReply(openingTransactionAfter(env().deps, merge), reply.id, actorOf(author), "Hold it for ten seconds."),
      (error: { status?: number }) => error.status === 409,
    );
    const moved = await stored(env(), reply.id);
    assert.equal(moved.topicId, original.id, "the merge moved it");
    assert.equal(moved.body, "Hold the reset button.");
    const edited = await env().api.patch(
      `/api/v1/replies/${reply.id}`,
      { body: "Hold it for ten seconds." },
      author.auth,
    );
    assert.equal(edited.status, 200, "edited again, on the topic it lives in now");
    assert.equal((await stored(env(), reply.id)).body, "Hold it for ten seconds.");
  });
});
