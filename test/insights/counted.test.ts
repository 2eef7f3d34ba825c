import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase, type TestEnv } from "../helpers.ts";

const MINUTE = 60_000;

/** The day's insights of a community, as its staff read them (UTC, the default time zone). */
async function today(env: TestEnv, slug: string, auth: Parameters<TestEnv["api"]["get"]>[1]) {
  const day = new Date(env.clock.now()).toISOString().slice(0, 10);
  const res = await env.api.get(`/api/v1/communities/${slug}/insights?from=${day}&to=${day}`, auth);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

describeEachDatabase("insights: what counts as an answer and as activity", (env) => {
  test("a question merged into another is not an answer to it", async () => {
    env().clock.set(Date.UTC(2026, 2, 3, 9));
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, staff: 1, moderator: 1 } });
    const [first, second] = members.member;
    const copy = await buildTopic(env(), slug, first, { title: "Router blinks red since the update" });
    env().clock.advance(30 * MINUTE);
    const original = await buildTopic(env(), slug, second, { title: "Red light on my router after update" });
    env().clock.advance(5 * MINUTE);
    const merged = await env().api.post(
      `/api/v1/topics/${copy.id}/merge`,
      { intoTopicId: original.id },
      members.moderator[0].auth,
    );
    assert.equal(merged.status, 200);
    const body = await today(env(), slug, members.staff[0].auth);
    const { questions, answered, unanswered, firstResponseMedianMinutes } = body.summary;
    assert.deepEqual(
      { questions, answered, unanswered, firstResponseMedianMinutes },
      { questions: 1, answered: 0, unanswered: 1, firstResponseMedianMinutes: null },
    );
    assert.deepEqual(body.topContributors, []);
    assert.deepEqual(
      body.unansweredOldest.map((t: { id: number }) => t.id),
      [original.id],
    );

    // A real answer still counts: 10 minutes after the original was asked.
    env().clock.advance(5 * MINUTE);
    await buildReply(env(), original.id, members.staff[0]);
    const answeredNow = (await today(env(), slug, members.staff[0].auth)).summary;
    assert.deepEqual([answeredNow.answered, answeredNow.firstResponseMedianMinutes], [1, 10]);
  });

  test("an answer merged in with an older duplicate answered the question at once, not minutes before it", async () => {
    env().clock.set(Date.UTC(2026, 2, 5, 9));
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, staff: 1, moderator: 1 } });
    const [first, second, helper] = members.member;
    const copy = await buildTopic(env(), slug, first, { title: "Router blinks red since the update" });
    env().clock.advance(10 * MINUTE);
    await buildReply(env(), copy.id, helper);
    // The original is asked 20 minutes after the duplicate's answer, and the duplicate merged into it.
    env().clock.advance(20 * MINUTE);
    const original = await buildTopic(env(), slug, second, { title: "Red light on my router after update" });
    env().clock.advance(5 * MINUTE);
    const merged = await env().api.post(
      `/api/v1/topics/${copy.id}/merge`,
      { intoTopicId: original.id },
      members.moderator[0].auth,
    );
    assert.equal(merged.status, 200);
    const { questions, answered, firstResponseMedianMinutes } = (await today(env(), slug, members.staff[0].auth))
      .summary;
    assert.deepEqual(
      { questions, answered, firstResponseMedianMinutes },
      { questions: 1, answered: 1, firstResponseMedianMinutes: 0 },
    );
  });

  test("a question solved after it was marked abandoned counts as solved, not also as abandoned", async () => {
    env().clock.set(Date.UTC(2026, 2, 6, 9));
    const { slug, community, members } = await buildCommunity(env(), { members: { member: 2, staff: 1 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    env().clock.advance(10 * MINUTE);
    const answer = await buildReply(env(), topic.id, helper);
    // Abandoned by the timer, then the asker accepts: the solution counts before the subscriber clears the mark.
    await env()
      .deps.db.updateTable("topics")
      .set({ abandonedAt: env().clock.now() })
      .where("id", "=", topic.id)
      .execute();
    await env()
      .deps.db.updateTable("topics")
      .set({ acceptedReplyId: answer.id })
      .where("id", "=", topic.id)
      .where("communityId", "=", community.id)
      .execute();
    const { solved, abandoned, unanswered } = (await today(env(), slug, members.staff[0].auth)).summary;
    assert.deepEqual({ solved, abandoned, unanswered }, { solved: 1, abandoned: 0, unanswered: 0 });
  });

  test("a solution hidden later solves nothing while it is hidden: the question is unanswered again", async () => {
    env().clock.set(Date.UTC(2026, 2, 7, 9));
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, staff: 1, moderator: 1 } });
    const [asker, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    env().clock.advance(10 * MINUTE);
    const answer = await buildReply(env(), topic.id, helper);
    const accepted = await env().api.post(`/api/v1/topics/${topic.id}/accept`, { replyId: answer.id }, asker.auth);
    assert.equal(accepted.status, 200);
    const figures = async () => {
      const body = await today(env(), slug, members.staff[0].auth);
      const { answered, solved, unanswered } = body.summary;
      const waiting = body.unansweredOldest.map((t: { id: number }) => t.id);
      return { answered, solved, unanswered, waiting };
    };
    assert.deepEqual(await figures(), { answered: 1, solved: 1, unanswered: 0, waiting: [] });
    const mod = members.moderator[0].auth;
    assert.equal((await env().api.post(`/api/v1/posts/reply/${answer.id}/hide`, { reason: "rude" }, mod)).status, 200);
    assert.deepEqual(await figures(), { answered: 0, solved: 0, unanswered: 1, waiting: [topic.id] });
    assert.equal((await env().api.post(`/api/v1/posts/reply/${answer.id}/restore`, {}, mod)).status, 200);
    assert.deepEqual(await figures(), { answered: 1, solved: 1, unanswered: 0, waiting: [] });
  });

  test("active members are those whose posts are shown: not a spammer whose topic was hidden", async () => {
    env().clock.set(Date.UTC(2026, 2, 4, 9));
    const { slug, members } = await buildCommunity(env(), { members: { member: 3, staff: 1, moderator: 1 } });
    const [asker, spammer, helper] = members.member;
    const topic = await buildTopic(env(), slug, asker);
    const spam = await buildTopic(env(), slug, spammer, { title: "Cheap watches, best prices here" });
    const reply = await buildReply(env(), topic.id, helper, "A reply that breaks the rules");
    const mod = members.moderator[0].auth;
    assert.equal((await env().api.post(`/api/v1/posts/topic/${spam.id}/hide`, { reason: "spam" }, mod)).status, 200);
    assert.equal((await env().api.post(`/api/v1/posts/reply/${reply.id}/hide`, { reason: "rude" }, mod)).status, 200);
    const body = await today(env(), slug, members.staff[0].auth);
    assert.equal(body.summary.topics, 1);
    assert.equal(body.summary.activeMembers, 1, "the asker only");
  });
});
