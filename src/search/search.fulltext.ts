import type { Db } from "../db/database.ts";
import { hitRows, snippetTexts, type Audience, type HitRow, type SearchFilters } from "./search.backend.ts";
import type { Bm25Params, DocScore } from "./search.bm25.ts";
import { corpusStats } from "./search.memory.ts";
import { rankInMemory } from "./search.rank.ts";
import { hasMark, highlighter, type SearchLocale } from "./search.text.ts";

/**
 * Full-text search ranking: BM25F over every field of a topic (title, tags, body, accepted answer,
 * other replies), the same arithmetic on both engines (search.bm25.ts). Documents holding every
 * query word come first, then those holding some, each group with articles first and then by
 * score (solved topics boosted); ties go to the newest document.
 */
export const SEARCH_BM25: Bm25Params = {
  k1: 1.2,
  // The old FTS5 column weights, 10 : 4 : 4 : 2 : 1, scaled so the body is 1.
  weights: { title: 2.5, tags: 1, body: 1, accepted: 0.5, replies: 0.25 },
  b: { title: 0.5, tags: 0.5, body: 0.75, accepted: 0.75, replies: 0.75 },
};
/** Solved topics and articles score this much more than the same match in an unsolved topic. */
export const SOLVED_BOOST = 1.5;
/**
 * The cap on candidates before ranking: the rarest query words' postings are read in full while
 * they hold at most this many documents (the rarest always); the other words only re-score the
 * documents those found. A document holding nothing but a word most documents contain is not a
 * result then, where some rarer word of the query exists.
 */
export const POSTINGS_BUDGET = 5_000;

export interface SearchRequest {
  communityId: number;
  audience: Audience;
  locale: SearchLocale;
  /** Analyzed query terms (search.text.ts analyze). */
  terms: string[];
  filters: SearchFilters;
  limit: number;
  offset: number;
}

export interface RankedHit extends HitRow {
  score: number;
  /** Every query term matched. */
  all: boolean;
  /**
   * The passage to show, with highlight markers: the body's where it holds a query word, else
   * the accepted answer's, else another reply's, else the start of the body.
   */
  snippet: string;
}

/** The terms whose postings are read in full, and the rest (read only for what those found). */
export function splitByBudget(terms: string[], df: Map<string, number>, budget: number): [string[], string[]] {
  const present = terms.filter((t) => (df.get(t) ?? 0) > 0);
  const sorted = [...present].sort((a, b) => df.get(a)! - df.get(b)! || (a < b ? -1 : 1));
  const full: string[] = [];
  let docs = 0;
  for (const term of sorted) {
    if (full.length > 0 && docs + df.get(term)! > budget) break;
    full.push(term);
    docs += df.get(term)!;
  }
  return [full, sorted.slice(full.length)];
}

/** One page of ranked hits the audience may see, with snippets; `offset` counts visible hits. */
export async function fullTextSearch(db: Db, request: SearchRequest): Promise<RankedHit[]> {
  const { terms } = request;
  if (terms.length === 0) return [];
  const stats = await corpusStats(db, request.communityId, terms);
  const [full, restricted] = splitByBudget(terms, stats.df, POSTINGS_BUDGET);
  const wanted = request.offset + request.limit;
  // Ranked candidates are read in growing chunks until enough of them are visible to the reader.
  const visible: { score: DocScore; row: HitRow }[] = [];
  let chunk = Math.max(50, wanted * 2);
  for (let at = 0; visible.length < wanted; at += chunk, chunk *= 2) {
    const ranked = await rankInMemory(db, {
      communityId: request.communityId,
      terms: terms.map((term) => ({ term, weight: 1 })),
      stats,
      params: SEARCH_BM25,
      full,
      restricted,
      order: "search",
      solvedBoost: SOLVED_BOOST,
      limit: chunk,
      offset: at,
    });
    const rows = await hitRows(
      db,
      request,
      ranked.map((s) => s.docId),
    );
    const found = new Map(rows.map((r) => [Number(r.docId), r]));
    for (const score of ranked) {
      const row = found.get(score.docId);
      if (row) visible.push({ score, row });
    }
    if (ranked.length < chunk) break;
  }
  const page = visible.slice(request.offset, wanted);
  const ids = page.map((p) => p.score.docId);
  const texts = await snippetTexts(db, ids, ["bodyText", "acceptedText"]);
  // One passage per hit, looked for field by field; other replies are read only for the hits
  // whose body and accepted answer hold no query word.
  const highlight = highlighter(new Set(terms), request.locale);
  const snippets = new Map<number, string>();
  const bodies = new Map<number, string>();
  const noMatch: number[] = [];
  for (const { score } of page) {
    const text = texts.get(score.docId);
    const body = text?.bodyText ? highlight(text.bodyText) : "";
    const found = hasMark(body) ? body : text?.acceptedText ? highlight(text.acceptedText) : "";
    if (hasMark(found)) snippets.set(score.docId, found);
    else {
      bodies.set(score.docId, body);
      noMatch.push(score.docId);
    }
  }
  const replies = await snippetTexts(db, noMatch, ["repliesText"]);
  for (const docId of noMatch) {
    const reply = replies.get(docId)?.repliesText;
    const marked = reply ? highlight(reply) : "";
    snippets.set(docId, hasMark(marked) ? marked : bodies.get(docId)!);
  }
  return page.map(({ score, row }) => ({
    ...row,
    score: score.score,
    all: score.matched === terms.length,
    snippet: snippets.get(score.docId) ?? "",
  }));
}
