import { test } from "node:test";
import assert from "node:assert/strict";
import { castVote } from "../../src/polls/polls.service.ts";
import {
  actorOf,
  buildCommunity,
  buildTopic,
  describeEachDatabase,
  openingTransactionAfter,
  type TestEnv,
} from "../helpers.ts";

/** A poll on a member's topic in an open category, and a community whose second category is private. */
async function pollInOpenCategory(env: TestEnv) {
  const { slug, members, categories, admin } = await buildCommunity(env, {
    categories: ["Open", "Billing"],
    members: { member: 2, moderator: 1 },
  });
  const setScope = await env.api.patch(
    `/api/v1/communities/${slug}/categories/${categories[1].id}`,
    { scope: "private" },
    admin.auth,
  );
  assert.equal(setScope.status, 200);
  const [author, voter] = members.member;
  const topic = await buildTopic(env, slug, author, { categoryId: categories[0].id });
  const created = await env.api.post(
    `/api/v1/topics/${topic.id}/poll`,
    { options: ["Monthly", "Yearly"] },
    author.auth,
  );
  assert.equal(created.status, 201);
  const { poll } = created.body;
  return { voter, mod: members.moderator[0], topic, poll, option: poll.options[0].id, privateId: categories[1].id };
}

const votesOf = async (env: TestEnv, pollId: number) =>
  (await env.deps.db.selectFrom("pollVotes").select("userId").where("pollId", "=", pollId).execute()).length;

describeEachDatabase("a poll whose topic readers lose meanwhile", (env) => {
  test("a topic moved into a private category between reading the poll and voting takes no vote (404)", async () => {
    const { voter, mod, topic, poll, option, privateId } = await pollInOpenCategory(env());
    const moved = openingTransactionAfter(env().deps, async () => {
      const res = await env().api.post(`/api/v1/topics/${topic.id}/move`, { categoryId: privateId }, mod.auth);
      assert.equal(res.status, 200);
    });
    // Neither the vote nor the results of a topic the voter may no longer read.
    await assert.rejects(castVote(moved, poll.id, actorOf(voter), [option]), { status: 404 });
    assert.equal(await votesOf(env(), poll.id), 0);
    const res = await env().api.post(`/api/v1/polls/${poll.id}/votes`, { optionIds: [option] }, voter.auth);
    assert.equal(res.status, 404);
  });

  test("a topic hidden between reading the poll and voting takes no vote from other members (404)", async () => {
    const { voter, mod, topic, poll, option } = await pollInOpenCategory(env());
    const hidden = openingTransactionAfter(env().deps, async () => {
      const res = await env().api.post(`/api/v1/posts/topic/${topic.id}/hide`, { reason: "Off topic" }, mod.auth);
      assert.equal(res.status, 200);
    });
    await assert.rejects(castVote(hidden, poll.id, actorOf(voter), [option]), { status: 404 });
    assert.equal(await votesOf(env(), poll.id), 0);
  });

  test("a vote on a topic still readable goes through the same way", async () => {
    const { voter, topic, poll, option } = await pollInOpenCategory(env());
    const renamed = openingTransactionAfter(env().deps, () =>
      env()
        .deps.db.updateTable("topics")
        .set({ title: "Which billing period suits you?" })
        .where("id", "=", topic.id)
        .execute(),
    );
    const { poll: after } = await castVote(renamed, poll.id, actorOf(voter), [option]);
    assert.deepEqual(after.myVote, [option]);
    assert.equal(await votesOf(env(), poll.id), 1);
  });
});
