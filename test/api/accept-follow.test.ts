import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildCommunity,
  buildReply,
  buildTopic,
  buildUser,
  describeEachDatabase,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";

async function acceptedOf(
  env: TestEnv,
  topicId: number,
  auth: TestUser["auth"] | null = null,
): Promise<{ acceptedReplyId: number | null; status: string }> {
  const page = await env.api.get(`/api/v1/topics/${topicId}`, auth);
  return { acceptedReplyId: page.body.topic.acceptedReplyId, status: page.body.topic.status };
}

describeEachDatabase("accept and follow API", (env) => {
  test("the asker, staff, a moderator and an admin may accept; another member gets 403", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 3, staff: 1, moderator: 1 } });
    const [asker, helper, other] = members.member;
    const deciders = { asker, staff: members.staff[0], moderator: members.moderator[0], admin };
    for (const [who, user] of Object.entries(deciders)) {
      const topic = await buildTopic(env(), slug, asker);
      const reply = await buildReply(env(), topic.id, helper);
      const refused = await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, other.auth);
      assert.equal(refused.status, 403, `${who}: other member refused`);
      assert.equal(refused.body.error.code, "forbidden");
      assert.deepEqual(await acceptedOf(env(), topic.id), { acceptedReplyId: null, status: "answered" });
      const res = await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, user.auth);
      assert.equal(res.status, 200, who);
      assert.deepEqual(res.body, { acceptedReplyId: reply.id, status: "solved" });
      assert.deepEqual(await acceptedOf(env(), topic.id), { acceptedReplyId: reply.id, status: "solved" });
    }
  });

  test("the reply's author cannot accept their own answer on someone else's question", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    assert.equal(
      (await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, helper.auth)).status,
      403,
    );
  });

  test("accepting a reply of another topic, or an unknown reply, is 422 and changes nothing", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    await buildReply(env(), topic.id, helper);
    const elsewhere = await buildTopic(env(), slug, asker, { title: "Another question here" });
    const foreign = await buildReply(env(), elsewhere.id, helper);
    for (const replyId of [foreign.id, 987654]) {
      const res = await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId }, asker.auth);
      assert.equal(res.status, 422, String(replyId));
      assert.equal(res.body.error.code, "validation_failed");
      assert.ok(res.body.error.fields.replyId);
    }
    for (const body of [{}, { replyId: "x" }, { replyId: -1 }]) {
      assert.equal(
        (await env().api.post(`/api/v1/topics/${topic.id}/accept`, body, asker.auth)).status,
        422,
        JSON.stringify(body),
      );
    }
    assert.deepEqual(await acceptedOf(env(), topic.id), { acceptedReplyId: null, status: "answered" });
    assert.deepEqual(await acceptedOf(env(), elsewhere.id), { acceptedReplyId: null, status: "answered" });
  });

  test("accepting another reply replaces the solution; DELETE withdraws it", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, a, b] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const first = await buildReply(env(), topic.id, a);
    const second = await buildReply(env(), topic.id, b);
    await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: first.id }, asker.auth);
    await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: second.id }, asker.auth);
    const page = await env().api.get(`/api/v1/topics/${topic.id}`);
    assert.deepEqual(
      page.body.replies.map((r: { id: number; accepted: boolean }) => [r.id, r.accepted]),
      [
        [second.id, true],
        [first.id, false],
      ],
    );
    assert.equal((await env().api.delete(`/api/v1/topics/${topic.id}/accept`, a.auth)).status, 403);
    assert.equal((await env().api.delete(`/api/v1/topics/${topic.id}/accept`)).status, 401);
    const withdrawn = await env().api.delete(`/api/v1/topics/${topic.id}/accept`, asker.auth);
    assert.equal(withdrawn.status, 200);
    assert.deepEqual(withdrawn.body, { acceptedReplyId: null, status: "answered" });
    assert.deepEqual(await acceptedOf(env(), topic.id), { acceptedReplyId: null, status: "answered" });
    const after = await env().api.get(`/api/v1/topics/${topic.id}`);
    assert.ok(after.body.replies.every((r: { accepted: boolean }) => !r.accepted));
  });

  test("ideas and praise have no solution to accept (422); problems do", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, staff: 1 } });
    const [asker, helper] = members.member;
    for (const kind of ["idea", "praise"]) {
      const topic = await buildTopic(env(), slug, asker, { kind });
      const reply = await buildReply(env(), topic.id, helper);
      for (const user of [asker, members.staff[0]]) {
        const res = await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, user.auth);
        assert.equal(res.status, 422, kind);
        assert.ok(res.body.error.fields.replyId);
      }
      assert.equal((await acceptedOf(env(), topic.id)).acceptedReplyId, null);
      const page = await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth);
      assert.equal(page.body.topic.abilities.accept, false);
    }
    const problem = await buildTopic(env(), slug, asker, { kind: "problem" });
    const fix = await buildReply(env(), problem.id, helper);
    assert.equal(
      (await env().api.post(`/api/v1/topics/${problem.id}/accept`, { replyId: fix.id }, asker.auth)).status,
      200,
    );
  });

  test("accepting in a private community without membership is 404", async () => {
    const { slug, members } = await buildCommunity(env(), { visibility: "private", members: { member: 2 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    const outsider = await buildUser(env());
    assert.equal(
      (await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, outsider.auth)).status,
      404,
    );
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, outsider.auth)).status, 404);
    assert.equal((await acceptedOf(env(), topic.id, asker.auth)).acceptedReplyId, null);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth)).body.topic.followerCount, 0);
  });

  test("follow and unfollow are idempotent and keep the follower count", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, a, b] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const follow = (user: typeof a) => env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, user.auth);
    const unfollow = (user: typeof a) => env().api.delete(`/api/v1/topics/${topic.id}/follow`, user.auth);
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/follow`)).status, 401);
    let res = await follow(a);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { followers: 1, following: true });
    assert.deepEqual((await follow(a)).body, { followers: 1, following: true });
    assert.deepEqual((await follow(b)).body, { followers: 2, following: true });
    res = await unfollow(a);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { followers: 1, following: false });
    assert.deepEqual((await unfollow(a)).body, { followers: 1, following: false });
    assert.deepEqual(
      (await unfollow(asker)).body,
      { followers: 1, following: false },
      "unfollowing without following is harmless",
    );
    const asB = await env().api.get(`/api/v1/topics/${topic.id}`, b.auth);
    assert.equal(asB.body.topic.followerCount, 1);
    assert.equal(asB.body.topic.following, true);
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`, a.auth)).body.topic.following, false);
    const listed = await env().api.get(`/api/v1/communities/${slug}/topics`);
    assert.equal(listed.body.topics[0].followerCount, 1);
  });

  test("many users following at once give the exact count", async () => {
    const { slug, admin } = await buildCommunity(env());
    const topic = await buildTopic(env(), slug, admin);
    const users = [];
    for (let i = 0; i < 25; i++) users.push(await buildUser(env()));
    const results = await Promise.all(users.map((u) => env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, u.auth)));
    assert.ok(results.every((r) => r.status === 200));
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`)).body.topic.followerCount, users.length);
    await Promise.all(users.slice(0, 10).map((u) => env().api.delete(`/api/v1/topics/${topic.id}/follow`, u.auth)));
    assert.equal((await env().api.get(`/api/v1/topics/${topic.id}`)).body.topic.followerCount, users.length - 10);
  });
  test("accepting while a moderator deletes the reply never leaves the deleted reply as the solution", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, helper, flagger] = members.member;
    // Several rounds: on PostgreSQL the two requests interleave, the accept reading the reply before the delete commits.
    for (let round = 0; round < 5; round++) {
      const topic = await buildTopic(env(), slug, asker, { title: `Question number ${round} here` });
      const reply = await buildReply(env(), topic.id, helper);
      const flagged = await env().api.post(`/api/v1/posts/reply/${reply.id}/flags`, { reason: "spam" }, flagger.auth);
      assert.equal(flagged.status, 201);
      const queue = await env().api.get(`/api/v1/communities/${slug}/review-queue`, admin.auth);
      const item = queue.body.items.find(
        (i: { post?: { type: string; id: number } }) => i.post?.type === "reply" && i.post.id === reply.id,
      );
      const [accepted, deleted] = await Promise.all([
        env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: reply.id }, asker.auth),
        env().api.post(`/api/v1/communities/${slug}/review-queue/${item.id}`, { action: "delete" }, admin.auth),
      ]);
      assert.ok([200, 409].includes(accepted.status), `accept: ${accepted.status}`);
      assert.equal(deleted.status, 200);
      assert.deepEqual(await acceptedOf(env(), topic.id), { acceptedReplyId: null, status: "open" }, `round ${round}`);
    }
  });
  test("a member banned since may still stop following a topic, not start again", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, fan] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, fan.auth)).status, 200);
    const ban = await env().api.put(
      `/api/v1/communities/${slug}/members/${fan.id}/ban`,
      { reason: "spam" },
      admin.auth,
    );
    assert.equal(ban.status, 200);
    const stopped = await env().api.delete(`/api/v1/topics/${topic.id}/follow`, fan.auth);
    assert.equal(stopped.status, 200);
    assert.deepEqual(stopped.body, { followers: 0, following: false });
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/follow`, {}, fan.auth)).status, 403);
  });
});
