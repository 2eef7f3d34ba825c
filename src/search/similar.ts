import type { Deps } from "../core/deps.ts";
import { hitRows, type HitRow } from "./search.backend.ts";
import { idf, maxScore, type Bm25Params, type CorpusStats, type DocScore, type QueryTerm } from "./search.bm25.ts";
import { splitByBudget } from "./search.fulltext.ts";
import { corpusStats } from "./search.memory.ts";
import { gramsInMemory, rankWithAlso } from "./search.rank.ts";
import { gramTerms } from "./search.postings.ts";
import { articleOfHit, audienceOf, hitTopics, type SearchAccess, type SearchResult } from "./search.service.ts";
import { SEARCH_LIMITS } from "./search.schema.ts";
import { analyze, queryTermsOf, searchLocale, trigramCodes, trigramSimilarity } from "./search.text.ts";
import { embeddingModel, nearestDocuments, similarityOf } from "./semantic.ts";

/**
 * Similar questions: BM25F over the question (title, tags, body) and its accepted answer
 * (search.bm25.ts, the same on both engines), plus title trigram similarity, plus a boost for
 * solved topics. Candidates come from the lexical postings and from title trigrams, and every
 * candidate is scored on every signal. Each constant below was chosen with
 * `npm run eval:similar -- --site ...` (whole-site, leave-one-out; see README "Search quality").
 */
export interface SimilarRanking {
  bm25: Bm25Params;
  /** Body words taking part, picked by their weight in this community (idf x log tf), not by position. */
  bodyTerms: number;
  /** Query weight of a body word; title words weigh 1. */
  bodyWeight: number;
  /** Weight of title trigram similarity (0..1) added to the lexical score (scaled 0..1). */
  trigram: number;
  /** Weight of semantic similarity (cosine, 0..1) when an embedding model is configured (semantic.ts). */
  semantic: number;
  /** Changes for a query without body words (a title alone asks less, so it may weigh fields differently). */
  titleOnly: Partial<Omit<SimilarRanking, "titleOnly">>;
  /** Solved topics and articles: "solved first when relevance is close". */
  solvedBoost: number;
  /**
   * Candidates scoring below this (lexical 0..1 plus trigram weight x similarity) are not shown:
   * the one threshold, absolute rather than a share of the best, calibrated on the evaluation
   * (README "Search quality") so it keeps what the ranking found relevant.
   */
  minScore: number;
  /** Lexical candidates scored in full. */
  candidates: number;
  /** Title-trigram candidates scored in full. */
  pool: number;
}

const FIELD_B = { title: 0.5, tags: 0.5, body: 0.75, accepted: 0.75, replies: 0.75 };

export const SIMILAR_RANKING: SimilarRanking = {
  bm25: { k1: 1.6, weights: { title: 2, tags: 0.5, body: 1, accepted: 0.5, replies: 0.3 }, b: FIELD_B },
  bodyTerms: 24,
  bodyWeight: 0.3,
  trigram: 0.3,
  semantic: 0.5,
  titleOnly: {
    trigram: 0.45,
    bm25: { k1: 1.6, weights: { title: 2, tags: 0.5, body: 1, accepted: 0.5, replies: 0.2 }, b: FIELD_B },
  },
  solvedBoost: 0.15,
  minScore: 0.05,
  candidates: 50,
  pool: 30,
};

/** Words of the title that take part; text beyond these lengths is ignored. */
const TITLE_TERMS_MAX = 16;
const TITLE_CHARS_MAX = 300;
const BODY_CHARS_MAX = 5_000;
/** Distinct body words whose statistics are looked up before picking. */
const BODY_CANDIDATES_MAX = 200;
/** Rarest title trigrams used to find similar titles, while their postings stay under the budget. */
const GRAMS_MAX = 24;
const GRAMS_BUDGET = 2_000;
/** Postings read in full before the rest only re-score (see search.fulltext.ts). */
const SIMILAR_POSTINGS_BUDGET = 3_000;

export type SimilarItem = Pick<SearchResult, "type" | "topic" | "article" | "score">;

export interface SimilarOptions {
  /** Parts of the ranking to change (the evaluation tries variants). */
  ranking?: Partial<SimilarRanking>;
  /** Results beyond the API's maximum (the evaluation ranks every candidate). */
  limitMax?: number;
  /** No threshold (the evaluation measures ranks, not what the form shows). */
  keepAll?: boolean;
}

/** The query: title words (weight 1) and the body words that weigh most in this community. */
export function similarQuery(
  titleTerms: string[],
  body: string[],
  stats: CorpusStats,
  ranking: Pick<SimilarRanking, "bodyTerms" | "bodyWeight">,
): QueryTerm[] {
  const title = titleTerms.filter((t) => stats.df.has(t)).map((term) => ({ term, weight: 1 }));
  const counts = new Map<string, number>();
  for (const term of body) if (!titleTerms.includes(term)) counts.set(term, (counts.get(term) ?? 0) + 1);
  const picked = [...counts]
    .filter(([term]) => stats.df.has(term))
    .map(([term, tf]) => ({ term, weight: idf(stats.df.get(term)!, stats.docs) * (1 + Math.log(tf)) }))
    .sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1))
    .slice(0, ranking.bodyTerms)
    .map(({ term }) => ({ term, weight: ranking.bodyWeight }));
  return [...title, ...picked];
}

interface Scored {
  row: HitRow;
  score: number;
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
  const base = { ...SIMILAR_RANKING, ...options.ranking };
  const locale = searchLocale(access.community.locale);
  const communityId = access.community.id;
  const title = input.title.slice(0, TITLE_CHARS_MAX);
  const titleTerms = queryTermsOf(title, locale, TITLE_TERMS_MAX);
  const titleGrams = trigramCodes(title);
  // A title of stop words only ("the and of") asks nothing, whatever trigrams it has.
  if (titleTerms.length === 0) return [];
  const body = analyze((input.body ?? "").slice(0, BODY_CHARS_MAX), locale, false);
  const ranking: SimilarRanking = body.length ? base : { ...base, ...base.titleOnly };
  const bodyCandidates = [...new Set(body)].filter((t) => !titleTerms.includes(t)).slice(0, BODY_CANDIDATES_MAX);
  const grams = gramTerms(title);
  const stats = await corpusStats(deps.db, communityId, [...titleTerms, ...bodyCandidates, ...grams]);
  const terms = similarQuery(titleTerms, body, stats, ranking);
  const names = terms.map((t) => t.term);

  const [full, restricted] = splitByBudget(names, stats.df, SIMILAR_POSTINGS_BUDGET);
  const [usedGrams] = splitByBudget(grams, stats.df, GRAMS_BUDGET);
  usedGrams.splice(GRAMS_MAX);
  const model = embeddingModel();
  const queryVector =
    model?.embed(`${title}
${input.body ?? ""}`) ?? null;
  const [byTitle, bySense] = await Promise.all([
    gramsInMemory(deps.db, communityId, stats.version, usedGrams, ranking.pool),
    model && queryVector
      ? nearestDocuments(deps.db, model, communityId, queryVector, ranking.pool)
      : new Map<number, number>(),
  ]);
  // Title-trigram (and semantic) candidates are scored on the lexical signal too, not given 0.
  const { ranked: lexical, also } = await rankWithAlso(
    deps.db,
    { communityId, terms, stats, params: ranking.bm25, full, restricted, order: "similar", limit: ranking.candidates },
    [...new Set([...byTitle, ...bySense.keys()])],
  );
  const scores = new Map([...also, ...lexical].map((s) => [s.docId, s]));
  const reader = access;
  const audience = audienceOf(reader);
  const rowsById = await hitRows(deps.db, { communityId, audience, exceptDuplicates: true }, [
    ...new Set([...lexical.map((s) => s.docId), ...byTitle, ...bySense.keys()]),
  ]);
  // ...and every candidate on the semantic signal when a model is configured.
  const senses =
    model && queryVector
      ? new Map([
          ...(await similarityOf(
            deps.db,
            model,
            rowsById.map((r) => Number(r.docId)).filter((id) => !bySense.has(id)),
            queryVector,
          )),
          ...bySense,
        ])
      : undefined;
  // Lexical scores are scaled by the best a document could reach for the whole title, words no
  // document holds included: a query matching only one common word is a weak match.
  const absent = titleTerms.filter((t) => !stats.df.has(t)).map((term) => ({ term, weight: 1 }));
  const best = maxScore([...terms, ...absent], stats);
  const ranked = rankSimilar(rowsById, scores, best, titleGrams, ranking, options.keepAll, senses);
  const limit = Math.min(input.limit ?? SEARCH_LIMITS.similarDefault, options.limitMax ?? SEARCH_LIMITS.similarMax);
  const shown = ranked.slice(0, limit);
  const topics = await hitTopics(
    deps,
    reader,
    shown.map(({ row }) => row.tId),
  );
  return shown
    .map(({ row, score }) => ({
      type: row.docType,
      topic: row.tId === null ? null : (topics.get(row.tId) ?? null),
      article: articleOfHit(row, access.community),
      score: Math.round(score * 1e4) / 1e4,
    }))
    .filter((item) => item.type === "article" || item.topic !== null);
}

/** Candidates' title trigrams, kept: the same titles come back keystroke after keystroke. */
const titleCodes = new Map<string, Float64Array>();
const TITLE_CODES_MAX = 2_000;

function titleCodesOf(title: string): Float64Array {
  let codes = titleCodes.get(title);
  if (!codes) {
    codes = trigramCodes(title);
    if (titleCodes.size >= TITLE_CODES_MAX) titleCodes.delete(titleCodes.keys().next().value!);
    titleCodes.set(title, codes);
  }
  return codes;
}

/**
 * Combined score of each candidate, best first (articles first), the threshold applied, an article and its source topic
 * shown once.
 */
export function rankSimilar(
  rows: HitRow[],
  scores: Map<number, DocScore>,
  lexicalMax: number,
  titleGrams: Float64Array,
  ranking: SimilarRanking,
  keepAll = false,
  senses?: Map<number, number>,
): Scored[] {
  const scored = rows.map((row) => {
    const lexical = lexicalMax > 0 ? (scores.get(Number(row.docId))?.score ?? 0) / lexicalMax : 0;
    const semantic = senses ? ranking.semantic * Math.max(0, senses.get(Number(row.docId)) ?? 0) : 0;
    const combined = lexical + ranking.trigram * trigramSimilarity(titleGrams, titleCodesOf(row.docTitle)) + semantic;
    const solved = row.docType === "article" || row.tAcceptedReplyId !== null;
    return { row, score: combined * (solved ? 1 + ranking.solvedBoost : 1) };
  });
  const kept = scored.filter((s) => s.score > 0 && (keepAll || s.score >= ranking.minScore));
  const isArticle = (s: Scored) => s.row.docType === "article";
  kept.sort(
    (a, b) =>
      Number(isArticle(b)) - Number(isArticle(a)) || b.score - a.score || Number(b.row.docId) - Number(a.row.docId),
  );
  const shownTopics = new Set<number>();
  return kept.filter((s) => {
    const topicId = s.row.tId;
    if (topicId === null) return true;
    if (shownTopics.has(topicId)) return false;
    shownTopics.add(topicId);
    return true;
  });
}
