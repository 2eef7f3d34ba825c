import { test } from "node:test";
import assert from "node:assert/strict";
import { castVote, createPoll } from "../../src/polls/polls.service.ts";
import {
  actorOf,
  buildCommunity,
  buildTopic,
  describeEachDatabase,
  openingTransactionAfter,
  type TestEnv,
} from "../helpers.ts";

/** A poll on a member's topic in a public community, a voter, and the admin who may ban or suspend them. */
async function pollWithVoter(env: TestEnv) {
  const { slug, admin, members } = await buildCommunity(env, { members: { member: 2 } });
  const [author, voter] = members.member;
  const topic = await buildTopic(env, slug, author);
  const created = await env.api.post(`/api/v1/topics/${topic.id}/poll`, { options: ["Yes", "No"] }, author.auth);
  assert.equal(created.status, 201);
  const { poll } = created.body;
  return { voter, poll, option: poll.options[0].id, member: `/api/v1/communities/${slug}/members/${voter.id}`, admin };
}

const votesOf = async (env: TestEnv, pollId: number) =>
  (await env.deps.db.selectFrom("pollVotes").select("userId").where("pollId", "=", pollId).execute()).length;

describeEachDatabase("a voter banned or suspended between reading the poll and voting", (env) => {
  test("a ban committed meanwhile keeps the vote out (403)", async () => {
    const { voter, poll, option, member, admin } = await pollWithVoter(env());
    const banned = openingTransactionAfter(env().deps, async () => {
      const res = await env().api.put(`${member}/ban`, { reason: "Spam everywhere" }, admin.auth);
      assert.equal(res.status, 200);
    });
    await assert.rejects(castVote(banned, poll.id, actorOf(voter), [option]), { status: 403 });
    assert.equal(await votesOf(env(), poll.id), 0);
  });

  test("a suspension committed meanwhile keeps the vote out and says until when and why (403)", async () => {
    const { voter, poll, option, member, admin } = await pollWithVoter(env());
    const suspended = openingTransactionAfter(env().deps, async () => {
      const res = await env().api.put(`${member}/suspension`, { days: 7, reason: "Insulting others" }, admin.auth);
      assert.equal(res.status, 200);
    });
    await assert.rejects(castVote(suspended, poll.id, actorOf(voter), [option]), {
      status: 403,
      message: /suspended from this community until .* Reason: Insulting others/,
    });
    assert.equal(await votesOf(env(), poll.id), 0);
  });
});

describeEachDatabase("a topic's author banned between reading the topic and adding a poll", (env) => {
  test("adds no poll (403)", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const [author] = members.member;
    const topic = await buildTopic(env(), slug, author);
    const banned = openingTransactionAfter(env().deps, async () => {
      const res = await env().api.put(
        `/api/v1/communities/${slug}/members/${author.id}/ban`,
        { reason: "Spam everywhere" },
        admin.auth,
      );
      assert.equal(res.status, 200);
    });
    await assert.rejects(createPoll(banned, topic.id, actorOf(author), { options: ["Yes", "No"], multiple: false }), {
      status: 403,
    });
    const polls = await env().deps.db.selectFrom("polls").select("id").where("topicId", "=", topic.id).execute();
    assert.equal(polls.length, 0);
  });
});
