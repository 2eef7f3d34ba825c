import type { Deps } from "../core/deps.ts";
import type { CandidateRow } from "./search.backend.ts";
import { backendFor } from "./search.engine.ts";
import { articleOfHit, audienceOf, hitTopics, type SearchAccess, type SearchResult } from "./search.service.ts";
import { SEARCH_LIMITS } from "./search.schema.ts";
import { queryTerms, SIMILAR_TERMS_MAX, searchLocale, trigrams } from "./search.text.ts";

/**
 * Similar questions: lexical relevance (bm25 / ts_rank over title, tags and body, scaled so the
 * best candidate is 1) combined with title similarity (trigrams, 0..1). Chosen with
 * `npm run eval:similar -- --sweep` on both databases: on the telecom fixture (20 queries) 0.7/0.3
 * scored MAP 0.742 (SQLite) / 0.766 (PostgreSQL) against 0.738 / 0.750 for lexical alone,
 * 0.554 / 0.547 for trigrams alone and 0.733 / 0.731 for 0.5/0.5; on the two Stack Exchange sets
 * (15 queries in all, long technical bodies) trigram-heavier mixes did better, but the mean over
 * all six runs is the same for 0.7/0.3 and 0.5/0.5 (0.674 / 0.673), so the support domain decides.
 */
export const SIMILAR_WEIGHTS = { lexical: 0.7, trigram: 0.3 } as const;
export type SimilarWeights = { lexical: number; trigram: number };
/** Solved topics and articles: "solved first when relevance is close" (a 15% edge). */
export const SIMILAR_SOLVED_BOOST = 0.15;
/** Candidates below this share of the best score are not worth showing. */
export const SIMILAR_MIN_SHARE = 0.2;
/** Candidates fetched from each list (lexical, trigram). */
export const SIMILAR_POOL = 30;
/** Words of the title, then of the body, that take part: more body words add noise (measured: 8 beat 0, 4 and 16). */
const TITLE_TERMS_MAX = 16;
const BODY_TERMS_MAX = 8;
const TITLE_CHARS_MAX = 300;
const BODY_CHARS_MAX = 2_000;

export type SimilarItem = Pick<SearchResult, "type" | "topic" | "article" | "score">;

export interface SimilarOptions {
  weights?: SimilarWeights;
  /** Results beyond the API's maximum (the evaluation ranks every candidate). */
  limitMax?: number;
}

/** The candidates ranked, best first, each with its combined score. */
export function rankCandidates(
  candidates: CandidateRow[],
  weights: SimilarWeights,
): { row: CandidateRow; score: number }[] {
  const maxLexical = Math.max(0, ...candidates.map((c) => Number(c.lexical)));
  const scored = candidates.map((row) => {
    const lexical = maxLexical > 0 ? Number(row.lexical) / maxLexical : 0;
    const combined = weights.lexical * lexical + weights.trigram * Number(row.trigram);
    const solved = row.docType === "article" || row.tAcceptedReplyId !== null;
    return { row, score: combined * (solved ? 1 + SIMILAR_SOLVED_BOOST : 1) };
  });
  const best = Math.max(0, ...scored.map((s) => s.score));
  const kept = scored.filter((s) => s.score > 0 && s.score >= SIMILAR_MIN_SHARE * best);
  // Articles worth showing at all are shown first.
  const isArticle = (s: { row: CandidateRow }) => s.row.docType === "article";
  kept.sort((a, b) => Number(isArticle(b)) - Number(isArticle(a)) || b.score - a.score || b.row.docId - a.row.docId);
  // An article and the topic it was promoted from are one answer: keep the first of the two.
  const shownTopics = new Set<number>();
  return kept.filter((s) => {
    const topicId = s.row.tId;
    if (topicId === null) return true;
    if (shownTopics.has(topicId)) return false;
    shownTopics.add(topicId);
    return true;
  });
}

/**
 * Up to `limit` existing topics and articles like the question being written, articles first,
 * then by combined score (solved topics ahead when close); duplicates never appear. Private
 * communities are the caller's business: pass the access from accessBySlug.
 */
export async function similarTopics(
  deps: Deps,
  access: SearchAccess,
  input: { title: string; body?: string; limit?: number },
  options: SimilarOptions = {},
): Promise<SimilarItem[]> {
  const locale = searchLocale(access.community.locale);
  const title = input.title.slice(0, TITLE_CHARS_MAX);
  const titleTerms = queryTerms(title, locale, TITLE_TERMS_MAX);
  if (titleTerms.length === 0 && trigrams(title).size === 0) return [];
  const bodyTerms = queryTerms((input.body ?? "").slice(0, BODY_CHARS_MAX), locale, SIMILAR_TERMS_MAX)
    .filter((t) => !titleTerms.includes(t))
    .slice(0, BODY_TERMS_MAX);
  const terms = [...titleTerms, ...bodyTerms].slice(0, SIMILAR_TERMS_MAX);
  const reader = access;
  const audience = audienceOf(reader);
  const candidates = await backendFor(deps.dialect).similarCandidates(deps.db, {
    communityId: access.community.id,
    audience,
    locale,
    title,
    terms,
    pool: SIMILAR_POOL,
  });
  const limit = Math.min(input.limit ?? SEARCH_LIMITS.similarDefault, options.limitMax ?? SEARCH_LIMITS.similarMax);
  const ranked = rankCandidates(candidates, options.weights ?? SIMILAR_WEIGHTS).slice(0, limit);
  const topics = await hitTopics(
    deps,
    reader,
    ranked.map(({ row }) => row.tId),
  );
  return ranked
    .map(({ row, score }) => ({
      type: row.docType,
      topic: row.tId === null ? null : (topics.get(row.tId) ?? null),
      article: articleOfHit(row, access.community),
      score: Math.round(score * 1e4) / 1e4,
    }))
    .filter((item) => item.type === "article" || item.topic !== null);
}
