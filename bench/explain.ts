/**
 * npm run bench:explain: seeds the bench corpus (10,000 topics, 100,000 replies; every post
 * mentions the router), indexes it, and prints the plan and timing of each search query (the
 * postings are read once per version of the index and ranked in memory, search.memory.ts):
 * EXPLAIN ANALYZE on PostgreSQL (BENCH_DATABASE_URL), EXPLAIN QUERY PLAN and a timed run on SQLite.
 * Asserts nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql, type RawBuilder } from "kysely";
import { openDatabase } from "../src/db/database.ts";
import { hitRowsQuery, snippetTextsQuery } from "../src/search/search.backend.ts";
import { SEARCH_BM25, splitByBudget, POSTINGS_BUDGET, SOLVED_BOOST } from "../src/search/search.fulltext.ts";
import { ensureIndexed } from "../src/search/search.index.ts";
import {
  changedDocumentsQuery,
  corpusStats,
  documentPostingsQuery,
  documentsQuery,
  gramPostingsQuery,
  postingsQuery,
  termStatisticsQuery,
} from "../src/search/search.memory.ts";
import { rankInMemory } from "../src/search/search.rank.ts";
import { cardsQuery } from "../src/search/search.cards.ts";
import { gramTerms } from "../src/search/search.postings.ts";
import { queryTermsOf } from "../src/search/search.text.ts";
import { SIMILAR_RANKING, similarQuery } from "../src/search/similar.ts";
import { systemClock } from "../src/core/clock.ts";
import { seed } from "./seed.ts";

const postgresUrl = process.env.BENCH_DATABASE_URL;
const schema = `cs_explain_${process.pid}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crowdservice-explain-"));
const handle = await openDatabase({
  dataDir: dir,
  ...(postgresUrl ? { databaseUrl: postgresUrl, databaseSchema: schema } : { sqliteFile: ":memory:" }),
});
const { db, dialect } = handle;
try {
  const seeded = await seed(db, dialect);
  await ensureIndexed({ db, dialect, clock: systemClock });
  // Autovacuum would soon mark the bulk-loaded postings all-visible (index-only scans): do it now.
  if (dialect === "postgres") await sql`vacuum analyze search_postings, search_documents`.execute(db);
  if (dialect === "postgres") await sql`analyze`.execute(db);
  const community = await db
    .selectFrom("communities")
    .select("id")
    .where("slug", "=", seeded.slug)
    .executeTakeFirstOrThrow();
  const communityId = community.id;
  const audience = { viewer: { userId: null, staff: false, champions: false, reviewer: false } };

  const show = async (label: string, query: RawBuilder<unknown>) => {
    console.log(`\n### ${label} (${dialect})\n`);
    if (dialect === "postgres") {
      const plan = await sql<{ "QUERY PLAN": string }>`explain (analyze, buffers off) ${query}`.execute(db);
      for (const row of plan.rows) console.log(row["QUERY PLAN"]);
    } else {
      const plan = await sql<{ detail: string }>`explain query plan ${query}`.execute(db);
      for (const row of plan.rows) console.log(row.detail);
      const started = performance.now();
      for (let i = 0; i < 20; i++) await query.execute(db);
      console.log(`Execution Time: ${((performance.now() - started) / 20).toFixed(3)} ms (mean of 20)`);
    }
  };

  // Search "router disconnecting": "router" is in every topic, so it only re-scores what "disconnect" found.
  const terms = queryTermsOf("router disconnecting", "en", 12);
  const stats = await corpusStats(db, communityId, terms);
  const [full, restricted] = splitByBudget(terms, stats.df, POSTINGS_BUDGET);
  console.log(
    `search terms ${terms.join(", ")}; df ${terms.map((t) => stats.df.get(t) ?? 0).join(", ")}; full ${full}; restricted ${restricted}`,
  );
  const searchRank = {
    communityId,
    terms: terms.map((term) => ({ term, weight: 1 })),
    stats,
    params: SEARCH_BM25,
    full,
    restricted,
    order: "search" as const,
    solvedBoost: SOLVED_BOOST,
    limit: 50,
  };
  await show("search: postings of the query's words (once per index version)", postingsQuery(db, communityId, terms));
  const ids = (await rankInMemory(db, searchRank)).map((r) => r.docId);
  await show(
    "search: fields of documents the copy meets first in postings (here the ranked page)",
    documentsQuery(db, communityId, ids),
  );
  await show("search: visible hits of the ranked page", hitRowsQuery(db, { communityId, audience }, ids));
  await show(
    "search: body and accepted answer of the shown page, for snippets",
    snippetTextsQuery(db, ids.slice(0, 21), ["bodyText", "acceptedText"]),
  );

  // Similar questions for a typed title.
  const title = "My router keeps disconnecting every evening";
  const titleTerms = queryTermsOf(title, "en", 16);
  const grams = gramTerms(title);
  const similarStats = await corpusStats(db, communityId, [...titleTerms, ...grams]);
  const query = similarQuery(titleTerms, [], similarStats, SIMILAR_RANKING);
  const names = query.map((t) => t.term);
  await show("similar: postings of the title's words (once per index version)", postingsQuery(db, communityId, names));
  const rarest = grams
    .filter((g) => similarStats.df.has(g))
    .sort((a, b) => similarStats.df.get(a)! - similarStats.df.get(b)!)
    .filter((_g, i, all) => i === 0 || all.slice(0, i + 1).reduce((n, x) => n + similarStats.df.get(x)!, 0) <= 2_000)
    .slice(0, 24);
  await show("similar: title-trigram postings (once per index version)", gramPostingsQuery(db, communityId, rarest));
  // Every candidate's card (title, type, solved) once; then the shown rows only.
  const similarRanked = await rankInMemory(db, {
    ...searchRank,
    stats: similarStats,
    terms: query,
    params: SIMILAR_RANKING.bm25,
    full: names,
    restricted: [],
    order: "similar",
  });
  const candidates = similarRanked.map((r) => r.docId);
  await show("similar: candidates' cards (once per index version)", cardsQuery(db, communityId, candidates));
  await show(
    "similar: visible rows of the first ten",
    hitRowsQuery(db, { communityId, audience, exceptDuplicates: true }, candidates.slice(0, 10)),
  );
  // After a change, the copy in memory reads what was indexed since: here the last 10 documents.
  const { rows: latest } = await sql<{ seq: number }>`select seq from search_documents
    where community_id = ${communityId} order by seq desc limit 11`.execute(db);
  const since = Number(latest.at(-1)?.seq ?? 0);
  await show("after a change: documents indexed since", changedDocumentsQuery(communityId, since));
  const changed = (await changedDocumentsQuery(communityId, since).execute(db)).rows.map((r) => Number(r.id));
  await show("after a change: their postings", documentPostingsQuery(db, changed));
  await show("similar: term statistics", termStatisticsQuery(db, communityId, [...titleTerms, ...grams]));
} finally {
  if (dialect === "postgres") await sql`drop schema ${sql.id(schema)} cascade`.execute(db);
  await handle.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
