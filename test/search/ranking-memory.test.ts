import { test } from "node:test";
import assert from "node:assert/strict";
import { openDatabase } from "../../src/db/database.ts";
import type { Db } from "../../src/db/database.ts";
import { indexTopic } from "../../src/search/search.index.ts";
import { corpusStats, currentCopy, keepCards, wordPostings } from "../../src/search/search.memory.ts";
import { gramsInMemory, rankInMemory, rankWithAlso, type RankRequest } from "../../src/search/search.rank.ts";
import { gramTerms } from "../../src/search/search.postings.ts";
import { SIMILAR_RANKING, similarTopics } from "../../src/search/similar.ts";
import { communityAccess } from "../../src/communities/communities.access.ts";
import { buildCommunity, createTestEnv, describeEachDatabase, type TestEnv } from "../helpers.ts";
import { postFillers, postIndexed, searchUrl, titles } from "./support.ts";

/**
 * Postings are read once per version of a community's index and ranked in memory
 * (search.memory.ts): the results must be those of the index as it is now, after every change.
 */
const communityIdOf = async (env: TestEnv, slug: string) =>
  (await env.deps.db.selectFrom("communities").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;

const docIdOf = async (env: TestEnv, topicId: number) =>
  (
    await env.deps.db
      .selectFrom("searchDocuments")
      .select("id")
      .where("topicId", "=", topicId)
      .executeTakeFirstOrThrow()
  ).id;

/** Every document holding one of these words, scored, best first, as a query at the index's current version ranks them. */
async function rankedBy(db: Db, communityId: number, words: string[]) {
  return rankInMemory(db, {
    communityId,
    terms: words.map((term) => ({ term, weight: 1 })),
    stats: await corpusStats(db, communityId, words),
    params: SIMILAR_RANKING.bm25,
    full: words,
    order: "similar",
    limit: 100,
  });
}

/** Every document holding "alpha", best first. */
async function alphaDocs(db: Db, communityId: number): Promise<number[]> {
  return (await rankedBy(db, communityId, ["alpha"])).map((s) => s.docId);
}

/**
 * A handle of its own (so with empty memory) that calls `onRead` as it sends each statement reading
 * words' postings (postingsQuery); what `onRead` throws fails that statement.
 */
const onPostingsRead = (db: Db, onRead: () => void): Db =>
  db.withPlugin({
    transformQuery: (args) => {
      if (
        args.node.kind === "RawNode" &&
        /^select \? from search_postings p\s+where p\.community_id/.test(args.node.sqlFragments.join("?"))
      )
        onRead();
      return args.node;
    },
    transformResult: async (args) => args.result,
  });

describeEachDatabase("search ranking in memory", (env) => {
  test("restricted terms only add to the candidates the full terms found, with the scores of reading every term", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    await postFillers(env(), slug, asker, helper);
    // Four documents with "alpha" in the title; one with "alpha" once in a long body but "beta"
    // all over its title: few "alpha" points, the best final score.
    for (const n of [1, 2, 3, 4]) await postIndexed(env(), slug, asker, helper, { title: `Alpha widget ${n}` });
    const filler = "words about something else entirely ".repeat(20);
    const late = await postIndexed(env(), slug, asker, helper, {
      title: "Beta beta beta question",
      body: `${filler} alpha ${filler}`,
    });
    await postIndexed(env(), slug, asker, helper, { title: "Only alpha in the body", body: `${filler} alpha` });
    const betaOnly = await postIndexed(env(), slug, asker, helper, { title: "Beta without the other word" });
    const communityId = await communityIdOf(env(), slug);
    const terms = [
      { term: "alpha", weight: 1 },
      { term: "beta", weight: 1 },
    ];
    const stats = await corpusStats(env().deps.db, communityId, ["alpha", "beta"]);
    const request: RankRequest = {
      communityId,
      terms,
      stats,
      params: SIMILAR_RANKING.bm25,
      full: ["alpha"],
      restricted: ["beta"],
      order: "similar",
      limit: 3,
    };
    const firstThree = await rankInMemory(env().deps.db, request);
    const everyCandidate = await rankInMemory(env().deps.db, { ...request, limit: 100 });
    assert.equal(everyCandidate.length, 6, "every document holding alpha, and no other, is a candidate");
    // Every term read for every candidate: the scores restricted terms must reach.
    const { also: reference } = await rankWithAlso(
      env().deps.db,
      { ...request, full: [], restricted: ["alpha", "beta"] },
      everyCandidate.map((s) => s.docId),
    );
    assert.deepEqual(firstThree, reference.slice(0, 3));
    assert.deepEqual(everyCandidate, reference);
    assert.equal(firstThree[0].docId, await docIdOf(env(), late.id), "the document with few alpha points comes first");
    assert.equal(firstThree[0].matched, 2);
    const both = await rankInMemory(env().deps.db, { ...request, full: ["alpha", "beta"], restricted: [], limit: 100 });
    assert.equal(both.length, 7, "with beta read in full, its own documents are candidates too");

    const betaOnlyDoc = await docIdOf(env(), betaOnly.id);
    const lateDoc = await docIdOf(env(), late.id);
    const withAlso = await rankWithAlso(env().deps.db, { ...request, limit: 100 }, [betaOnlyDoc, lateDoc]);
    assert.deepEqual(withAlso.ranked, everyCandidate, "documents asked for as well do not become candidates");
    assert.deepEqual(
      withAlso.also,
      [everyCandidate.find((s) => s.docId === lateDoc), both.find((s) => s.docId === betaOnlyDoc)],
      "each is scored on every term, restricted ones included, as if read in full",
    );
  });

  test("a new, edited or deleted topic changes the next query's results", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    await postFillers(env(), slug, asker, helper);
    const communityId = await communityIdOf(env(), slug);
    const db = env().deps.db;
    const first = await postIndexed(env(), slug, asker, helper, { title: "Alpha router question" });
    assert.deepEqual(await alphaDocs(db, communityId), [await docIdOf(env(), first.id)]);

    const second = await postIndexed(env(), slug, asker, helper, { title: "Another alpha question" });
    const secondDoc = await docIdOf(env(), second.id);
    assert.ok((await alphaDocs(db, communityId)).includes(secondDoc), "a new topic is found at once");

    const edit = await env().api.patch(`/api/v1/topics/${first.id}`, { title: "Gamma router question" }, asker.auth);
    assert.equal(edit.status, 200);
    await indexTopic(env().deps, first.id);
    assert.deepEqual(await alphaDocs(db, communityId), [secondDoc], "an edit that drops the word drops the topic");

    // Asked through a second handle on the same database: its memory starts empty and reads
    // everything, so what the first caught up with must be what is there.
    const fresh = db.withTables<Record<never, never>>();
    const third = await postIndexed(env(), slug, asker, helper, { title: "Alpha alpha, the third", tags: ["alpha"] });
    await env().api.post(`/api/v1/topics/${second.id}/replies`, { body: "Alpha is the word here." }, helper.auth);
    await indexTopic(env().deps, second.id);
    const caughtUp = await alphaDocs(db, communityId);
    assert.deepEqual(caughtUp, await alphaDocs(fresh, communityId));
    assert.deepEqual(new Set(caughtUp), new Set([secondDoc, await docIdOf(env(), third.id)]));
  });

  test("documents changed in the middle of what memory holds: the copy ranks as a fresh read does", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    await postFillers(env(), slug, asker, helper);
    const communityId = await communityIdOf(env(), slug);
    const widgets: Awaited<ReturnType<typeof postIndexed>>[] = [];
    for (const n of ["one", "two", "three", "four", "five", "six"])
      widgets.push(await postIndexed(env(), slug, asker, helper, { title: `Alpha widget number ${n}` }));
    const { deps } = env();
    const access = await communityAccess(deps, { slug }, null);
    const ask = { title: "Alpha widget number", limit: 10 };
    const scored = (db: Db) => rankedBy(db, communityId, ["alpha", "widget"]);
    // Held in memory: both words' postings and the title trigrams of the six.
    const before = await scored(deps.db);
    assert.equal(before.length, 6);
    assert.equal((await similarTopics(deps, access, ask)).length, 6);

    // Documents between others change: the third loses "alpha" and its title's trigrams, the
    // fifth gains "alpha" in its body, the sixth's title now matches by its trigrams alone.
    for (const [topic, change] of [
      [widgets[2], { title: "Gamma gadget number three" }],
      [widgets[4], { body: "Alpha alpha alpha, and more alpha." }],
      [widgets[5], { title: "Alphaa widgett numbber six" }],
    ] as const) {
      assert.equal((await env().api.patch(`/api/v1/topics/${topic.id}`, change, asker.auth)).status, 200);
      await indexTopic(deps, topic.id);
    }
    const caughtUp = await scored(deps.db);
    const similarCaughtUp = await similarTopics(deps, access, ask);
    const grams = gramTerms("Alpha widget number gamma gadget three alphaa widgett numbber six");
    const byGrams = async (db: Db) =>
      gramsInMemory(db, communityId, (await corpusStats(db, communityId, [])).version, grams, 100);
    const gramsCaughtUp = await byGrams(deps.db);

    // A handle of its own starts with empty memory and reads everything.
    const fresh = { ...deps, db: deps.db.withTables<Record<never, never>>() };
    assert.deepEqual(caughtUp, await scored(fresh.db));
    assert.deepEqual(gramsCaughtUp, await byGrams(fresh.db), "title trigrams as the index holds them");
    assert.deepEqual(similarCaughtUp, await similarTopics(fresh, await communityAccess(fresh, { slug }, null), ask));
    const thirdDoc = await docIdOf(env(), widgets[2].id);
    const scoreOf = (list: { docId: number; score: number }[]) => list.find((s) => s.docId === thirdDoc)?.score ?? 0;
    assert.ok(scoreOf(caughtUp) < scoreOf(before), "the third scored without its alpha");
    assert.equal(caughtUp[0].docId, await docIdOf(env(), widgets[4].id), "the most alpha first");
    assert.ok(
      similarCaughtUp.some((s) => s.topic?.id === widgets[5].id),
      "found by its title's trigrams",
    );
  });

  test("a word whose documents memory met in another order: a change to one of them still replaces its posting", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    await postFillers(env(), slug, asker, helper);
    const communityId = await communityIdOf(env(), slug);
    const first = await postIndexed(env(), slug, asker, helper, { title: "Alpha widget first" });
    const second = await postIndexed(env(), slug, asker, helper, { title: "Alpha widget second zeta" });
    const { deps } = env();
    // "zeta" read first places the second document before the first, so "alpha" meets them in
    // the other order than their ids.
    assert.equal((await rankedBy(deps.db, communityId, ["zeta"])).length, 1);
    const before = await rankedBy(deps.db, communityId, ["alpha"]);
    assert.equal(before.length, 2);
    const patched = await env().api.patch(
      `/api/v1/topics/${second.id}`,
      { body: "Alpha alpha alpha, more alpha." },
      asker.auth,
    );
    assert.equal(patched.status, 200);
    await indexTopic(deps, second.id);
    const caughtUp = await rankedBy(deps.db, communityId, ["alpha"]);
    const fresh = deps.db.withTables<Record<never, never>>();
    assert.deepEqual(caughtUp, await rankedBy(fresh, communityId, ["alpha"]));
    assert.deepEqual(
      caughtUp.map((s) => s.docId),
      [await docIdOf(env(), second.id), await docIdOf(env(), first.id)],
    );
  });

  test("queries arriving together read a word's postings once and rank alike", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    await postFillers(env(), slug, asker, helper);
    for (const n of [1, 2, 3]) await postIndexed(env(), slug, asker, helper, { title: `Alpha widget ${n}` });
    const communityId = await communityIdOf(env(), slug);
    let postingReads = 0;
    const counted = onPostingsRead(env().deps.db, () => postingReads++);
    const together = await Promise.all([1, 2, 3, 4, 5].map(() => alphaDocs(counted, communityId)));
    assert.equal(postingReads, 1, "the other four waited for the first one's read");
    for (const docs of together) assert.deepEqual(docs, await alphaDocs(env().deps.db, communityId));
    assert.equal(together[0].length, 3);
  });

  test("a failed read fails the queries waiting for it, and the next query reads again", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    await postFillers(env(), slug, asker, helper);
    await postIndexed(env(), slug, asker, helper, { title: "Alpha widget" });
    const communityId = await communityIdOf(env(), slug);
    let failNext = true;
    const flaky = onPostingsRead(env().deps.db, () => {
      if (failNext) {
        failNext = false;
        throw new Error("connection lost");
      }
    });
    const { version } = await corpusStats(flaky, communityId, ["alpha"]);
    const copy = await currentCopy(flaky, communityId, version);
    // Asked in one go: the second and third find the first's read under way and wait for it.
    const results = await Promise.allSettled([1, 2, 3].map(() => wordPostings(flaky, copy, ["alpha"])));
    assert.deepEqual(
      results.map((r) => r.status),
      ["rejected", "rejected", "rejected"],
    );
    assert.deepEqual(await alphaDocs(flaky, communityId), await alphaDocs(env().deps.db, communityId));
  });

  test("the cards of all copies are bounded together in bytes", async () => {
    // A handle of its own has memory of its own; copies of communities it never read start empty.
    const db = env().deps.db.withTables<Record<never, never>>();
    const [first, second] = [await currentCopy(db, 900_001, 1), await currentCopy(db, 900_002, 1)];
    // 1.6 MB each: two fit under the 4 MB bound, a third does not.
    const big = () => ({ titleCodes: new Float64Array(200_000), article: false, solved: false });
    keepCards(db, first, new Map([[1, big()]]));
    keepCards(db, second, new Map([[2, big()]]));
    assert.deepEqual([[...first.cards.keys()], [...second.cards.keys()]], [[1], [2]]);
    keepCards(db, second, new Map([[3, big()]]));
    assert.deepEqual([[...first.cards.keys()], [...second.cards.keys()]], [[], [3]], "every copy's cards start anew");
  });

  test("a deleted topic leaves the results at once; its postings linger only in memory", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    await postFillers(env(), slug, asker, helper);
    const gone = await postIndexed(env(), slug, asker, helper, { title: "Alpha that will be deleted" });
    const kept = await postIndexed(env(), slug, asker, helper, { title: "Alpha that stays" });
    const search = () => env().api.get(searchUrl(slug, { q: "alpha" }));
    assert.deepEqual(titles((await search()).body).sort(), ["Alpha that stays", "Alpha that will be deleted"]);
    await env().deps.db.deleteFrom("searchDocuments").where("topicId", "=", gone.id).execute();
    assert.deepEqual(titles((await search()).body), ["Alpha that stays"]);
    const similar = await env().api.get(`/api/v1/communities/${slug}/similar?title=${encodeURIComponent("Alpha")}`);
    assert.deepEqual(
      similar.body.map((r: { topic: { id: number } }) => r.topic.id),
      [kept.id],
    );
  });
});

const postgresUrl = process.env.TEST_DATABASE_URL;
if (postgresUrl) {
  test("two instances on PostgreSQL: a topic indexed through one is ranked by the other's next query", async () => {
    const a = await createTestEnv({ name: "postgres", url: postgresUrl });
    // A second instance on the same database and schema, with its own pool and memory.
    const b = await openDatabase({ ...a.deps.config, sqliteFile: ":memory:" });
    try {
      const { slug, members } = await buildCommunity(a, { members: { member: 2 } });
      const [asker, helper] = members.member;
      await postFillers(a, slug, asker, helper);
      const communityId = await communityIdOf(a, slug);
      const first = await postIndexed(a, slug, asker, helper, { title: "Alpha on the first instance" });
      assert.deepEqual(await alphaDocs(b.db, communityId), [await docIdOf(a, first.id)]);
      const second = await postIndexed(a, slug, asker, helper, { title: "Alpha again, posted later" });
      assert.ok((await alphaDocs(b.db, communityId)).includes(await docIdOf(a, second.id)));
    } finally {
      await b.close();
      await a.close();
    }
  });
}
