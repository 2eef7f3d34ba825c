import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { castVote } from "../../src/polls/polls.service.ts";
import {
  actorOf,
  buildCommunity,
  buildTopic,
  describeEachDatabase,
  openingTransactionAfter,
  type TestEnv,
  until,
  type TestUser,
} from "../helpers.ts";
import { browse, getPage } from "../web/web-helpers.ts";

const addPoll = (env: TestEnv, topicId: number, user: TestUser, body: Record<string, unknown>) =>
  env.api.post(`/api/v1/topics/${topicId}/poll`, body, user.auth);
const voteIn = (env: TestEnv, pollId: number, user: TestUser, optionIds: number[]) =>
  env.api.post(`/api/v1/polls/${pollId}/votes`, { optionIds }, user.auth);
const readPoll = async (env: TestEnv, pollId: number, user?: TestUser) =>
  (await env.api.get(`/api/v1/polls/${pollId}`, user?.auth)).body.poll;
const counts = (poll: any) => poll.options.map((o: any) => o.votes);
const lock = (env: TestEnv, topicId: number, mod: TestUser, locked = true) =>
  locked
    ? env.api.put(`/api/v1/topics/${topicId}/lock`, {}, mod.auth)
    : env.api.delete(`/api/v1/topics/${topicId}/lock`, mod.auth);
const speaksGerman = (env: TestEnv, user: TestUser) =>
  env.deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", user.id).execute();
async function lockedTopicWithPoll(env: TestEnv) {
  const { slug, members } = await buildCommunity(env, { members: { member: 3, moderator: 1 } });
  const [author, voter, undecided] = members.member;
  const [mod] = members.moderator;
  const topic = await buildTopic(env, slug, author);
  const { poll } = (await addPoll(env, topic.id, author, { options: ["Router", "Repeater"] })).body;
  const [router, repeater] = poll.options.map((o: any) => o.id);
  assert.equal((await voteIn(env, poll.id, voter, [router])).status, 200);
  return { slug, author, voter, undecided, mod, topic, poll, router, repeater };
}

describeEachDatabase("the poll of a locked topic", (env) => {
  test("takes no vote and no change of vote (403) until unlocked, and shows its results", async () => {
    const { voter, undecided, mod, topic, poll, router, repeater } = await lockedTopicWithPoll(env());
    assert.equal((await lock(env(), topic.id, mod)).status, 200);

    const refused = await voteIn(env(), poll.id, undecided, [repeater]);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "forbidden");
    assert.equal(refused.body.error.message, "This topic is locked: its poll takes no more votes.");
    const changed = await voteIn(env(), poll.id, voter, [repeater]);
    assert.equal(changed.status, 403, "no change of vote either");
    const seen = await readPoll(env(), poll.id, undecided);
    assert.deepEqual(
      [seen.topicLocked, seen.abilities.vote, seen.resultsVisible, counts(seen), seen.voters, seen.myVote],
      [true, false, true, [1, 0], 1, []],
    );
    assert.deepEqual((await readPoll(env(), poll.id, voter)).myVote, [router], "the vote cast before stands");

    assert.equal((await lock(env(), topic.id, mod, false)).status, 200);
    const open = await readPoll(env(), poll.id, undecided);
    assert.deepEqual([open.topicLocked, open.abilities.vote, open.resultsVisible], [false, true, false]);
    assert.equal((await voteIn(env(), poll.id, undecided, [repeater])).status, 200);
    const after = await voteIn(env(), poll.id, voter, [repeater]);
    assert.equal(after.status, 200);
    assert.deepEqual([counts(after.body.poll), after.body.poll.voters], [[0, 2], 2]);
  });

  test("the topic page shows the results and why, not the ballot; a ballot sent anyway is refused in German", async () => {
    const { slug, voter, undecided, mod, topic, poll, repeater } = await lockedTopicWithPoll(env());
    await speaksGerman(env(), undecided);
    const browser = await browse(env(), undecided);
    // The ballot as the member loaded it, before the moderator locked the topic.
    assert.match((await browser.get(topic.url)).body, /class="poll-ballot"/);
    assert.equal((await lock(env(), topic.id, mod)).status, 200);

    const page = await browser.get(topic.url);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /class="poll-ballot"/);
    assert.match(page.body, /class="poll-results"/);
    assert.match(page.body, /Dieses Thema ist gesperrt: Seine Umfrage nimmt keine Stimmen mehr an\./);
    const english = await getPage(env(), topic.url, voter);
    assert.doesNotMatch(english.body, /class="poll-ballot"/);
    assert.match(english.body, /This topic is locked: its poll takes no more votes\./);
    const anonymous = await getPage(env(), topic.url);
    assert.match(anonymous.body, /class="poll-results"/);
    assert.doesNotMatch(anonymous.body, /Log in to vote/, "no invitation to a vote nobody can cast");

    const sent = await browser.submit(`/c/${slug}/polls/${poll.id}/vote`, { option: String(repeater) });
    assert.equal(sent.status, 403);
    assert.match(sent.body, new RegExp(`<link rel="canonical" href="[^"]*/t/${topic.id}/`), "the topic page");
    assert.match(
      sent.body,
      /<div class="form-alert" role="alert">\s*<p><strong>Dieses Thema ist gesperrt: Seine Umfrage nimmt keine Stimmen mehr an\.<\/strong>/,
    );
    assert.doesNotMatch(sent.body, /class="poll-ballot"/);
    assert.deepEqual(counts(await readPoll(env(), poll.id)), [1, 0], "nothing counted");

    assert.equal((await lock(env(), topic.id, mod, false)).status, 200);
    const reopened = await browser.get(topic.url);
    assert.match(reopened.body, /class="poll-ballot"/);
    assert.doesNotMatch(reopened.body, /Seine Umfrage nimmt keine Stimmen mehr an/);
    const cast = await browser.submit(`/c/${slug}/polls/${poll.id}/vote`, { option: String(repeater) });
    assert.equal(cast.status, 303);
    assert.deepEqual(counts(await readPoll(env(), poll.id)), [1, 1]);
  });

  test("a lock committed between reading the poll and voting keeps the vote out", async () => {
    const { undecided, mod, topic, poll, repeater } = await lockedTopicWithPoll(env());
    const deps = openingTransactionAfter(env().deps, async () =>
      assert.equal((await lock(env(), topic.id, mod)).status, 200),
    );
    await assert.rejects(castVote(deps, poll.id, actorOf(undecided), [repeater]), (error: any) => {
      assert.equal(error.status, 403);
      assert.equal(error.explanation?.key, "poll.topicLocked");
      return true;
    });
    assert.deepEqual(counts(await readPoll(env(), poll.id)), [1, 0]);
  });

  test("merged into a topic that has a poll of its own, a topic's poll stays with it (404 there)", async () => {
    const { slug, author, undecided, mod, topic, poll, repeater } = await lockedTopicWithPoll(env());
    const into = await buildTopic(env(), slug, author, { title: "Which repeater for a large flat?" });
    const own = (await addPoll(env(), into.id, author, { options: ["Mesh", "Powerline"] })).body.poll;
    const merged = await env().api.post(`/api/v1/topics/${topic.id}/merge`, { intoTopicId: into.id }, mod.auth);
    assert.equal(merged.status, 200);
    const polls = await env().deps.db.selectFrom("polls").select(["id", "topicId"]).orderBy("id").execute();
    assert.deepEqual(
      polls.filter((p) => p.id === poll.id || p.id === own.id),
      [
        { id: poll.id, topicId: topic.id },
        { id: own.id, topicId: into.id },
      ],
    );
    assert.equal((await voteIn(env(), poll.id, undecided, [repeater])).status, 404, "a merged topic's poll");
  });

  test("a topic merged or deleted between reading the poll and voting takes no vote (409); then it follows or goes", async () => {
    const { slug, author, undecided, mod, topic, poll, repeater } = await lockedTopicWithPoll(env());
    const into = await buildTopic(env(), slug, author);
    const merge = () => env().api.post(`/api/v1/topics/${topic.id}/merge`, { intoTopicId: into.id }, mod.auth);
    const merged = openingTransactionAfter(env().deps, async () => assert.equal((await merge()).status, 200));
    await assert.rejects(castVote(merged, poll.id, actorOf(undecided), [repeater]), (error: any) => {
      assert.equal(error.status, 409);
      assert.equal(error.explanation?.key, "poll.topicGone");
      return true;
    });
    const votes = await env()
      .deps.db.selectFrom("pollVotes")
      .select("optionId")
      .where("pollId", "=", poll.id)
      .execute();
    assert.equal(votes.length, 1, "only the vote cast before the merge");
    // The merged topic is seen by nobody: its poll, with its ballots, follows the merge (polls.subscribers.ts).
    const moved = await env()
      .deps.db.selectFrom("polls")
      .select("topicId")
      .where("id", "=", poll.id)
      .executeTakeFirst();
    assert.equal(moved?.topicId, into.id);
    assert.equal((await voteIn(env(), poll.id, undecided, [repeater])).status, 200, "voted on where it went");
    assert.deepEqual(counts(await readPoll(env(), poll.id)), [1, 1]);

    const other = await lockedTopicWithPoll(env());
    const deleted = openingTransactionAfter(env().deps, () =>
      env()
        .deps.db.updateTable("topics")
        .set({ moderationState: "deleted" })
        .where("id", "=", other.topic.id)
        .execute(),
    );
    await assert.rejects(castVote(deleted, other.poll.id, actorOf(other.undecided), [other.repeater]), {
      status: 409,
    });
    assert.equal((await voteIn(env(), other.poll.id, other.undecided, [other.repeater])).status, 404);
  });

  test("takes no new poll (403), and its page offers none, until unlocked", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const [author] = members.member;
    const [mod] = members.moderator;
    const topic = await buildTopic(env(), slug, author);
    assert.equal((await lock(env(), topic.id, mod)).status, 200);
    const refused = await addPoll(env(), topic.id, author, { options: ["Yes", "No"] });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.message, "This topic is locked: it takes no new poll.");
    assert.equal(
      await env().deps.db.selectFrom("polls").select("id").where("topicId", "=", topic.id).executeTakeFirst(),
      undefined,
    );
    const page = await getPage(env(), topic.url, author);
    assert.doesNotMatch(page.body, /\/poll"/, "no link to add a poll");
    assert.equal((await lock(env(), topic.id, mod, false)).status, 200);
    assert.match((await getPage(env(), topic.url, author)).body, /\/poll"/);
    assert.equal((await addPoll(env(), topic.id, author, { options: ["Yes", "No"] })).status, 201);
  });

  test("PostgreSQL: a vote waits for a lock being committed, then is refused", async (t) => {
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer: no vote runs beside a lock");
    const { undecided, topic, poll, repeater } = await lockedTopicWithPoll(env());
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let updated!: () => void;
    const locking = new Promise<void>((resolve) => {
      updated = resolve;
    });
    // A moderator's lock, written but not yet committed.
    const moderator = env()
      .deps.db.transaction()
      .execute(async (trx) => {
        await trx.updateTable("topics").set({ locked: 1 }).where("id", "=", topic.id).execute();
        updated();
        await committing;
      });
    await locking;
    const vote = voteIn(env(), poll.id, undecided, [repeater]);
    // The vote read the topic open (the lock is not committed) and now waits on its row.
    await until("the vote to wait on the topic's row", async () => {
      const { rows } = await sql<{ n: string }>`select count(*) as n from pg_stat_activity
        where wait_event_type = 'Lock' and query like '%from "topics" where id in ($1) order by id for share%'`.execute(
        env().deps.db,
      );
      return Number(rows[0].n) > 0;
    });
    commit();
    await moderator;
    const refused = await vote;
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.message, "This topic is locked: its poll takes no more votes.");
    assert.deepEqual(counts(await readPoll(env(), poll.id)), [1, 0]);
  });
});
