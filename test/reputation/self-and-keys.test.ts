import { test } from "node:test";
import assert from "node:assert/strict";
import { addMember, buildCommunity, buildReply, buildTopic, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { setKudos } from "./support.ts";

describeEachDatabase("reputation: own answers and idempotency keys", (env) => {
  test("accepting one's own answers earns no accepted-answer badge and no accepted count", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [solo, helper] = members.member;
    for (let i = 0; i < 10; i++) {
      const topic = await buildTopic(env(), slug, solo, { title: `My own question number ${i}` });
      const reply = await buildReply(env(), topic.id, solo, `My own answer ${i}`);
      const accepted = await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, solo.auth);
      assert.equal(accepted.status, 200);
    }
    const other = await buildTopic(env(), slug, helper, { title: "Someone else's question" });
    const answer = await buildReply(env(), other.id, solo, "An answer to someone else");
    assert.equal(
      (await env().api.post(`/api/v1/topics/${other.id}/accept`, { replyId: answer.id }, helper.auth)).status,
      200,
    );
    await drainJobs(env());
    const profile = (await env().api.get(`/api/v1/communities/${slug}/members/${solo.id}/profile`)).body.profile;
    const badges = profile.badges.map((b: { badge: string }) => b.badge);
    assert.ok(badges.includes("first_accepted"), "the answer to someone else counts");
    assert.ok(!badges.includes("ten_accepted"), JSON.stringify(badges));
    assert.equal(profile.acceptedAnswers, 1);
  });

  test("an idempotency key used in one community replays nothing in another: 409", async () => {
    const a = await buildCommunity(env(), { members: { member: 1 } });
    const b = await buildCommunity(env());
    const [member] = a.members.member;
    await addMember(env(), b.community.id, member.id, "member");
    await setKudos(env(), a.community.id, member.id, 100);
    await setKudos(env(), b.community.id, member.id, 100);
    const rewardA = await env().api.post(
      `/api/v1/communities/${a.slug}/rewards`,
      { name: "Mug A", price: 10 },
      a.admin.auth,
    );
    const rewardB = await env().api.post(
      `/api/v1/communities/${b.slug}/rewards`,
      { name: "Mug B", price: 10 },
      b.admin.auth,
    );
    const redeem = (slug: string, rewardId: number) =>
      env().api.post(
        `/api/v1/communities/${slug}/rewards/${rewardId}/redeem`,
        { idempotencyKey: "key-12345678" },
        member.auth,
      );
    const first = await redeem(a.slug, rewardA.body.reward.id);
    assert.equal(first.status, 201);
    assert.equal((await redeem(a.slug, rewardA.body.reward.id)).body.replayed, true, "the same request replays");
    const elsewhere = await redeem(b.slug, rewardB.body.reward.id);
    assert.equal(elsewhere.status, 409);
    const inB = await env()
      .deps.db.selectFrom("rewardRedemptions")
      .select("id")
      .where("communityId", "=", b.community.id)
      .execute();
    assert.deepEqual(inB, []);
  });
});
