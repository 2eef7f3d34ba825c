import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { corpusStats, rankPostings, type RankRequest } from "../../src/search/search.postings.ts";
import { SIMILAR_RANKING } from "../../src/search/similar.ts";
import { postFillers, postIndexed } from "./support.ts";

/**
 * rankPostings probes the restricted (common) terms only in the documents that can still reach
 * the first k (max-score pruning, search.postings.ts): the result must be the one of reading
 * every term in every candidate.
 */
describeEachDatabase("search ranking: max-score pruning", (env) => {
  test("pruned probes give the same scores and order as scoring every candidate on every term", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2 } });
    const [asker, helper] = members.member;
    await postFillers(env(), slug, asker, helper);
    // Four documents with "alpha" in the title (high partial scores); one with "alpha" once in a
    // long body but "beta" all over its title: its partial score is low, its final score the best.
    for (const n of [1, 2, 3, 4]) await postIndexed(env(), slug, asker, helper, { title: `Alpha widget ${n}` });
    const filler = "words about something else entirely ".repeat(20);
    const late = await postIndexed(env(), slug, asker, helper, {
      title: "Beta beta beta question",
      body: `${filler} alpha ${filler}`,
    });
    await postIndexed(env(), slug, asker, helper, { title: "Only alpha in the body", body: `${filler} alpha` });
    const communityId = (
      await env().deps.db.selectFrom("communities").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()
    ).id;
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
    const pruned = await rankPostings(env().deps.db, env().deps.dialect, request);
    const everyCandidate = await rankPostings(env().deps.db, env().deps.dialect, { ...request, limit: 100 });
    assert.equal(everyCandidate.length, 6, "every document holding alpha is a candidate");
    const candidates = everyCandidate.map((s) => s.docId);
    const reference = await rankPostings(env().deps.db, env().deps.dialect, {
      ...request,
      full: ["alpha", "beta"],
      restricted: [],
      onlyDocs: candidates,
    });
    assert.deepEqual(pruned, reference.slice(0, 3));
    const lateDoc = await env()
      .deps.db.selectFrom("searchDocuments")
      .select("id")
      .where("topicId", "=", late.id)
      .executeTakeFirstOrThrow();
    assert.equal(pruned[0].docId, lateDoc.id, "the document with a low partial score comes first");
    assert.equal(pruned[0].matched, 2);
  });
});
