import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase, type TestEnv, type TestUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { patchSettings } from "../reputation/support.ts";

/** The open review item of a post, acted on as the queue's moderator would. */
async function actOnQueue(env: TestEnv, slug: string, admin: TestUser, postId: number, action: "hide" | "approve") {
  const items = (await env.api.get(`/api/v1/communities/${slug}/review-queue`, admin.auth)).body.items;
  const item = items.find((i: { post: { id: number } }) => i.post.id === postId);
  assert.ok(item, `post ${postId} waits in the queue`);
  const acted = await env.api.post(`/api/v1/communities/${slug}/review-queue/${item.id}`, { action }, admin.auth);
  assert.equal(acted.status, 200);
}

describeEachDatabase("a held post hidden from the queue, restored later", (env) => {
  test("a reply is announced when restored, as when approved; restoring it again after a hide is not", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, newbie] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    await patchSettings(env(), slug, admin, "moderation", { approveFirstPosts: 1 });
    const held = await env().api.post(`/api/v1/topics/${topic.id}/replies`, { body: "Try channel 6." }, newbie.auth);
    assert.equal(held.body.reply.moderationState, "pending");
    const replyId = held.body.reply.id;
    await actOnQueue(env(), slug, admin, replyId, "hide");
    await drainJobs(env());
    const notices = async () =>
      (await env().api.get("/api/v1/notifications", asker.auth)).body.notifications.filter(
        (n: { kind: string }) => n.kind === "reply",
      ).length;
    assert.equal(await notices(), 0, "hidden, it was never shown");

    const restore = () => env().api.post(`/api/v1/posts/reply/${replyId}/restore`, {}, admin.auth);
    assert.equal((await restore()).status, 200);
    await drainJobs(env());
    assert.equal(await notices(), 1, "the asker hears of the answer once it is published");
    const read = await env().api.get(`/api/v1/topics/${topic.id}`);
    assert.equal(read.body.topic.replyCount, 1);

    assert.equal((await env().api.post(`/api/v1/posts/reply/${replyId}/hide`, {}, admin.auth)).status, 200);
    assert.equal((await restore()).status, 200);
    await drainJobs(env());
    assert.equal(await notices(), 1, "published once: not announced again");
  });

  test("a question is routed once restored, as a new question", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [newbie] = members.member;
    await patchSettings(env(), slug, admin, "moderation", { approveFirstPosts: 1 });
    const held = await env().api.post(
      `/api/v1/communities/${slug}/topics`,
      { kind: "question", title: "My modem blinks orange all night", body: "Details of the problem." },
      newbie.auth,
    );
    assert.equal(held.body.topic.moderationState, "pending");
    const topicId: number = held.body.topic.id;
    await actOnQueue(env(), slug, admin, topicId, "hide");
    const routingJobs = async () =>
      (await env().deps.db.selectFrom("jobs").select("id").where("dedupeKey", "like", `route:${topicId}:%`).execute())
        .length;
    await drainJobs(env());
    assert.equal(await routingJobs(), 0, "a held question is not routed");

    assert.equal((await env().api.post(`/api/v1/posts/topic/${topicId}/restore`, {}, admin.auth)).status, 200);
    await drainJobs(env());
    assert.ok((await routingJobs()) > 0, "published, it is routed as a new question");
    const published = await env()
      .deps.db.selectFrom("topics")
      .select("published")
      .where("id", "=", topicId)
      .executeTakeFirstOrThrow();
    assert.equal(published.published, 1);
  });
});
