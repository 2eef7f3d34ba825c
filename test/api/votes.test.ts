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

async function scoreOf(env: TestEnv, topicId: number, replyId?: number): Promise<number> {
  const page = await env.api.get(`/api/v1/topics/${topicId}`);
  if (replyId === undefined) return page.body.topic.score;
  return page.body.replies.find((r: { id: number }) => r.id === replyId).score;
}

describeEachDatabase("votes API", (env) => {
  for (const target of ["topic", "reply"] as const) {
    test(`${target}: up, down and 0 change the score; one vote per user, changeable`, async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 4 } });
      const [author, a, b, c] = members.member;
      const topic = await buildTopic(env(), slug, author);
      const reply = target === "reply" ? await buildReply(env(), topic.id, author) : null;
      const url = target === "topic" ? `/api/v1/topics/${topic.id}/vote` : `/api/v1/replies/${reply!.id}/vote`;
      const vote = async (user: TestUser, value: number) => {
        const res = await env().api.put(url, { value }, user.auth);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body.score;
      };
      assert.equal(await vote(a, 1), 1);
      assert.equal(await vote(a, 1), 1, "voting twice counts once");
      assert.equal(await vote(b, 1), 2);
      assert.equal(await vote(c, -1), 1);
      assert.equal(await vote(a, -1), -1, "a changed vote moves the score by two");
      assert.equal(await vote(b, 0), -2, "0 withdraws the vote");
      assert.equal(await vote(b, 0), -2, "withdrawing twice is harmless");
      assert.equal(await scoreOf(env(), topic.id, reply?.id), -2);
      const page = await env().api.get(`/api/v1/topics/${topic.id}`, a.auth);
      const myVote = target === "topic" ? page.body.topic.myVote : page.body.replies[0].myVote;
      assert.equal(myVote, -1);
    });

    test(`${target}: voting on one's own post is 403 and changes nothing`, async () => {
      const { slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
      const author = members.member[0];
      const topic = await buildTopic(env(), slug, author);
      const reply = await buildReply(env(), topic.id, members.moderator[0]);
      const [url, owner] =
        target === "topic"
          ? [`/api/v1/topics/${topic.id}/vote`, author]
          : [`/api/v1/replies/${reply.id}/vote`, members.moderator[0]];
      const res = await env().api.put(url, { value: 1 }, owner.auth);
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, "forbidden");
      assert.equal(await scoreOf(env(), topic.id, target === "reply" ? reply.id : undefined), 0);
      const rows = await env().deps.db.selectFrom("votes").select("userId").where("userId", "=", owner.id).execute();
      assert.deepEqual(rows, []);
    });
  }

  test("anonymous votes are 401; bad values are 422; unknown posts are 404", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [author, voter] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const reply = await buildReply(env(), topic.id, author);
    for (const url of [`/api/v1/topics/${topic.id}/vote`, `/api/v1/replies/${reply.id}/vote`]) {
      const anonymous = await env().api.put(url, { value: 1 });
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.body.error.code, "unauthorized");
      for (const value of [2, -2, "1", null, 0.5]) {
        const bad = await env().api.put(url, { value }, voter.auth);
        assert.equal(bad.status, 422, `${url} ${JSON.stringify(value)}`);
        assert.ok(bad.body.error.fields.value);
      }
    }
    assert.equal((await env().api.put("/api/v1/topics/987654/vote", { value: 1 }, voter.auth)).status, 404);
    assert.equal((await env().api.put("/api/v1/replies/987654/vote", { value: 1 }, voter.auth)).status, 404);
    assert.equal(await scoreOf(env(), topic.id), 0);
  });

  test("in a private community a non-member's vote is 404 and is not recorded", async () => {
    const { slug, members } = await buildCommunity(env(), { visibility: "private", members: { member: 1 } });
    const author = members.member[0];
    const topic = await buildTopic(env(), slug, author);
    const reply = await buildReply(env(), topic.id, author);
    const outsider = await buildUser(env());
    for (const url of [`/api/v1/topics/${topic.id}/vote`, `/api/v1/replies/${reply.id}/vote`]) {
      const res = await env().api.put(url, { value: 1 }, outsider.auth);
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, "not_found");
    }
    const rows = await env().deps.db.selectFrom("votes").select("userId").where("userId", "=", outsider.id).execute();
    assert.deepEqual(rows, []);
    const page = await env().api.get(`/api/v1/topics/${topic.id}`, author.auth);
    assert.equal(page.body.topic.score, 0);
    assert.equal(page.body.replies[0].score, 0);
  });

  test("voting in a public community makes the voter a member", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0]);
    const passerby = await buildUser(env());
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/vote`, { value: 1 }, passerby.auth)).status, 200);
    assert.equal((await env().api.get(`/api/v1/communities/${slug}`, passerby.auth)).body.community.role, "member");
  });

  test("many users voting at once give the exact total", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const author = members.member[0];
    const topic = await buildTopic(env(), slug, author);
    const reply = await buildReply(env(), topic.id, author);
    const voters: TestUser[] = [];
    for (let i = 0; i < 30; i++) voters.push(await buildUser(env()));
    const value = (i: number) => (i % 3 === 0 ? -1 : 1);
    const results = await Promise.all(
      voters.flatMap((voter, i) => [
        env().api.put(`/api/v1/topics/${topic.id}/vote`, { value: value(i) }, voter.auth),
        env().api.put(`/api/v1/replies/${reply.id}/vote`, { value: 1 }, voter.auth),
      ]),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      results.map(() => 200),
    );
    const expected = voters.reduce((sum, _v, i) => sum + value(i), 0);
    assert.equal(await scoreOf(env(), topic.id), expected);
    assert.equal(await scoreOf(env(), topic.id, reply.id), voters.length);
    // Then everybody changes their mind at once.
    await Promise.all(
      voters.map((voter) => env().api.put(`/api/v1/replies/${reply.id}/vote`, { value: -1 }, voter.auth)),
    );
    assert.equal(await scoreOf(env(), topic.id, reply.id), -voters.length);
    // A list shows the same score as the page.
    const listed = await env().api.get(`/api/v1/communities/${slug}/topics`);
    assert.equal(listed.body.topics[0].score, expected);
  });
});
