import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase, type TestEnv } from "../helpers.ts";

/** Where each topic's content is: its state, what it leads to, and its replies. */
async function state(env: TestEnv, ids: number[]) {
  const topics = await env.deps.db
    .selectFrom("topics")
    .select(["id", "moderationState", "mergedIntoId", "replyCount"])
    .where("id", "in", ids)
    .orderBy("id")
    .execute();
  const replies = await env.deps.db
    .selectFrom("replies")
    .select(["topicId", "body"])
    .where("topicId", "in", ids)
    .execute();
  return { topics, replies };
}

// Merges and posts that meet on the same topics at once: PostgreSQL runs them side by side, so
// each re-reads the topics under their row locks; SQLite runs one writer at a time.
describeEachDatabase("moderation: merges and posts at the same time", (env) => {
  const setUp = async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 2 } });
    const [asker, helper] = members.member;
    const [a, b, c] = [
      await buildTopic(env(), slug, asker, { title: "Router blinks red after update", body: "Question A" }),
      await buildTopic(env(), slug, asker, { title: "Router red light since last night", body: "Question B" }),
      await buildTopic(env(), slug, asker, { title: "Router light is red, what now", body: "Question C" }),
    ];
    await buildReply(env(), a.id, helper, "Answer on A");
    const merge = (from: number, into: number, who = 0) =>
      env().api.post(`/api/v1/topics/${from}/merge`, { intoTopicId: into }, members.moderator[who].auth);
    return { a, b, c, helper, merge };
  };

  test("A into B while B goes into A: one merge wins, nothing is lost", async () => {
    const { a, b, merge } = await setUp();
    const [ab, ba] = await Promise.all([merge(a.id, b.id, 0), merge(b.id, a.id, 1)]);
    const statuses = [ab.status, ba.status];
    assert.equal(statuses.filter((s) => s === 200).length, 1, `one merge only: ${statuses}`);
    const { topics, replies } = await state(env(), [a.id, b.id]);
    const open = topics.filter((t) => t.moderationState === "visible");
    assert.equal(open.length, 1, "one topic stays, the other leads to it");
    assert.ok(
      replies.every((r) => r.topicId === open[0].id),
      "every reply is on the topic that stays",
    );
    assert.equal(open[0].replyCount, 2, "A's answer and the merged question");
  });

  test("the same topic merged twice at once, into one topic or two: merged once", async () => {
    const { a, b, c, merge } = await setUp();
    const twice = await Promise.all([merge(a.id, b.id, 0), merge(a.id, c.id, 1)]);
    assert.equal(twice.filter((r) => r.status === 200).length, 1, `${twice.map((r) => r.status)}`);
    const into = twice.find((r) => r.status === 200)!.body.mergedInto as number;
    const { topics, replies } = await state(env(), [a.id, b.id, c.id]);
    assert.equal(topics.find((t) => t.id === a.id)!.mergedIntoId, into);
    assert.deepEqual(
      replies.map((r) => [r.topicId, r.body]).sort(),
      [
        [into, "Answer on A"],
        [into, "Question A"],
      ],
      "A's question copied once, and only where A leads",
    );
  });

  test("a reply posted while its topic is merged goes with it, or is refused", async () => {
    const { a, b, helper, merge } = await setUp();
    const [merged, posted] = await Promise.all([
      merge(a.id, b.id),
      env().api.post(`/api/v1/topics/${a.id}/replies`, { body: "A reply racing the merge" }, helper.auth),
    ]);
    assert.equal(merged.status, 200);
    assert.ok([201, 409].includes(posted.status), `reply: ${posted.status}`);
    const { replies } = await state(env(), [a.id, b.id]);
    assert.ok(
      replies.every((r) => r.topicId === b.id),
      "nothing stays behind on the merged topic",
    );
    assert.equal(
      replies.some((r) => r.body === "A reply racing the merge"),
      posted.status === 201,
    );
  });
});
