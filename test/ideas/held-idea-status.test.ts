import { test } from "node:test";
import assert from "node:assert/strict";
import { approveHeldPost, buildCommunity, describeEachDatabase, type TestEnv, type TestUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { patchSettings } from "../reputation/support.ts";

const statusNotices = async (env: TestEnv, user: TestUser) =>
  (await env.api.get("/api/v1/notifications", user.auth)).body.notifications
    .filter((n: { kind: string }) => n.kind === "idea_status")
    .map((n: { excerpt: string }) => n.excerpt);

describeEachDatabase("ideas: a status set while the idea is held for review", (env) => {
  test("the author hears at once; voters and followers hear the latest status once it is approved", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1, admin: 1 } });
    const [author] = members.member;
    const [voter] = members.moderator;
    const [follower] = members.admin;
    await patchSettings(env(), slug, admin, "moderation", { approveFirstPosts: 1 });
    const held = await env().api.post(
      `/api/v1/communities/${slug}/topics`,
      { kind: "idea", title: "Share mobile data between plans", body: "Details of the idea." },
      author.auth,
    );
    assert.equal(held.body.topic.moderationState, "pending");
    const topicId: number = held.body.topic.id;
    assert.equal((await env().api.put(`/api/v1/topics/${topicId}/vote`, { value: 1 }, voter.auth)).status, 200);
    assert.equal((await env().api.put(`/api/v1/topics/${topicId}/follow`, {}, follower.auth)).status, 200);
    for (const change of [{ status: "under_review" }, { status: "planned", note: "Coming in spring." }]) {
      const set = await env().api.put(`/api/v1/topics/${topicId}/idea-status`, change, admin.auth);
      assert.equal(set.status, 200);
    }
    await drainJobs(env());
    assert.deepEqual(await statusNotices(env(), author), ["Planned: Coming in spring.", "Under review"]);
    assert.deepEqual(await statusNotices(env(), voter), [], "not readable yet");
    assert.deepEqual(await statusNotices(env(), follower), []);

    await approveHeldPost(env(), slug, admin, topicId);
    await drainJobs(env());
    for (const user of [voter, follower])
      assert.deepEqual(await statusNotices(env(), user), ["Planned: Coming in spring."], "the latest status, once");
    assert.equal((await statusNotices(env(), author)).length, 2, "the author is not told again");
  });
});
