import { test } from "node:test";
import assert from "node:assert/strict";
import { actOnQueuedPost, buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { memberWithKudos } from "../reputation/support.ts";

describeEachDatabase("moderation: review fixes", (env) => {
  test("a moderator's own hide that closed a flag's review item is not theirs to undo, as time goes on", async () => {
    const { community, members } = await buildCommunity(env(), { members: { member: 1, moderator: 2 } });
    const [mod, otherMod] = members.moderator;
    const topic = await buildTopic(env(), community.slug, members.member[0]);
    const reply = await buildReply(env(), topic.id, mod, "Posted in the wrong topic, sorry");
    const act = (action: "hide" | "restore", user = mod) =>
      env().api.post(`/api/v1/posts/reply/${reply.id}/${action}`, { reason: "" }, user.auth);
    const flagger = await memberWithKudos(env(), community.id, 100);
    const flagged = await env().api.post(`/api/v1/posts/reply/${reply.id}/flags`, { reason: "spam" }, flagger.auth);
    assert.equal(flagged.status, 201, JSON.stringify(flagged.body));
    // A real clock moves while the hide is written: each reading a millisecond after the last.
    const clock = env().clock;
    const fixed = clock.now;
    let ticks = 0;
    clock.now = () => fixed() + ticks++;
    try {
      assert.equal((await act("hide")).status, 200, "taking it down closes the review item");
    } finally {
      clock.now = fixed;
    }
    clock.advance(ticks);
    const refused = await act("restore");
    assert.equal(refused.status, 403, "it would dismiss the community's flag");
    assert.equal((await act("restore", otherMod)).status, 200);
  });

  test("deleting a reply closes the open items of its comments, which nobody can open any more", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, author, flagger] = members.member;
    const mod = members.moderator[0];
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, author, "Buy cheap followers at my shop");
    const comment = await env().api.post(`/api/v1/replies/${reply.id}/comments`, { body: "Cheap!" }, author.auth);
    assert.equal(comment.status, 201, JSON.stringify(comment.body));
    const commentId = comment.body.comment.id;
    for (const [type, id] of [
      ["reply", reply.id],
      ["comment", commentId],
    ])
      assert.equal(
        (await env().api.post(`/api/v1/posts/${type}/${id}/flags`, { reason: "spam" }, flagger.auth)).status,
        201,
      );
    const queue = async () =>
      (await env().api.get(`/api/v1/communities/${slug}/review-queue`, mod.auth)).body.items as {
        id: number;
        post: { type: string; id: number };
      }[];
    const commentItem = (await queue()).find((i) => i.post.type === "comment")!;
    await actOnQueuedPost(env(), slug, mod, reply.id, "delete", { type: "reply" });
    // The comment went with its reply (404): its item would wait for a decision nobody can take.
    const gone = await env().api.post(`/api/v1/posts/comment/${commentId}/hide`, { reason: "" }, mod.auth);
    assert.equal(gone.status, 404);
    assert.deepEqual(await queue(), []);
    const closed = await env().api.get(`/api/v1/communities/${slug}/review-queue?status=deleted`, mod.auth);
    assert.ok(closed.body.items.some((i: { id: number }) => i.id === commentItem.id));
    const flags = await env()
      .deps.db.selectFrom("postFlags")
      .select("status")
      .where("targetType", "=", "comment")
      .where("targetId", "=", commentId)
      .execute();
    assert.deepEqual(flags, [{ status: "agreed" }]);
  });

  test("a blocked phrase of Markdown marks alone holds no post: it reads as nothing", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const phrases = ["**", "[]", "crypto giveaway"];
    const patched = await env().api.patch(
      `/api/v1/communities/${slug}/settings/moderation`,
      { spam: { blockedPhrases: phrases } },
      admin.auth,
    );
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const post = (body: string) =>
      env().api.post(
        `/api/v1/communities/${slug}/topics`,
        { kind: "question", title: "How do I reset my router?", body },
        members.member[0].auth,
      );
    const plain = await post("It keeps blinking red.");
    assert.equal(plain.status, 201, JSON.stringify(plain.body));
    assert.equal(plain.body.topic.moderationState, "visible");
    const spam = await post("Join the crypto giveaway today.");
    assert.equal(spam.body.topic.moderationState, "pending", "the other phrases still hold posts");
  });
});
