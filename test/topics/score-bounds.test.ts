import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase, type TestEnv } from "../helpers.ts";

/** The bounds of PostgreSQL's integer, where the Stack Exchange import clamps a crafted score. */
const INT4_MAX = 2 ** 31 - 1;
const INT4_MIN = -(2 ** 31);

async function setScore(env: TestEnv, table: "topics" | "replies", id: number, score: number) {
  await env.deps.db.updateTable(table).set({ score }).where("id", "=", id).execute();
}

async function scoreOf(env: TestEnv, table: "topics" | "replies", id: number) {
  const row = await env.deps.db.selectFrom(table).select("score").where("id", "=", id).executeTakeFirstOrThrow();
  return Number(row.score);
}

// A vote or a merge moves a score by its delta: at the bound of the integer column it stays there
// (PostgreSQL answered 500 on the overflow), on both engines alike.
describeEachDatabase("scores at the bounds of the integer column", (env) => {
  test("a vote on a post whose imported score is at the bound succeeds and keeps it there", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3 } });
    const [asker, helper, voter] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const reply = await buildReply(env(), topic.id, helper);
    await setScore(env(), "topics", topic.id, INT4_MAX);
    await setScore(env(), "replies", reply.id, INT4_MIN);
    const up = await env().api.put(`/api/v1/topics/${topic.id}/vote`, { value: 1 }, voter.auth);
    assert.equal(up.status, 200, JSON.stringify(up.body));
    assert.equal(up.body.score, INT4_MAX);
    const down = await env().api.put(`/api/v1/replies/${reply.id}/vote`, { value: -1 }, voter.auth);
    assert.equal(down.status, 200, JSON.stringify(down.body));
    assert.equal(down.body.score, INT4_MIN);
    assert.equal(await scoreOf(env(), "topics", topic.id), INT4_MAX);
    assert.equal(await scoreOf(env(), "replies", reply.id), INT4_MIN);
  });

  test("a merge adding the merged topic's votes to a score at the bound keeps it there", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, moderator: 1 } });
    const [asker, other, voter] = members.member;
    const original = await buildTopic(env(), slug, asker, { title: "Router shows a red light" });
    const copy = await buildTopic(env(), slug, other, { title: "Router red light again" });
    const vote = await env().api.put(`/api/v1/topics/${copy.id}/vote`, { value: 1 }, voter.auth);
    assert.equal(vote.status, 200, JSON.stringify(vote.body));
    await setScore(env(), "topics", original.id, INT4_MAX);
    const merge = await env().api.post(
      `/api/v1/topics/${copy.id}/merge`,
      { intoTopicId: original.id },
      members.moderator[0].auth,
    );
    assert.equal(merge.status, 200, JSON.stringify(merge.body));
    assert.equal(await scoreOf(env(), "topics", original.id), INT4_MAX);
  });
});
