import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import { hitRows, type Audience, type HitRow } from "./search.backend.ts";
import { idf, maxScore, type Bm25Params, type CorpusStats, type DocScore, type QueryTerm } from "./search.bm25.ts";
import { splitByBudget } from "./search.fulltext.ts";
import { corpusStats, currentCopy, type DocumentCard } from "./search.memory.ts";
import { documentCards } from "./search.cards.ts";
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
  /**
   * Weight of the query likelihood (search.bm25.ts likelihoodOfTerm, Dirichlet mu
   * `likelihoodMu`, over the BM25F field weights), per unit of query weight, added to the lexical
   * score; 0: not computed.
   */
  likelihood: number;
  likelihoodMu: number;
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
  likelihood: 0.1,
  likelihoodMu: 100,
  semantic: 0.5,
  titleOnly: {
    trigram: 0.45,
    likelihood: 0,
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
    {
      communityId,
      terms,
      stats,
      params: ranking.bm25,
      full,
      restricted,
      order: "similar",
      limit: ranking.candidates,
      likelihoodMu: ranking.likelihood > 0 ? ranking.likelihoodMu : undefined,
    },
    [...new Set([...byTitle, ...bySense.keys()])],
  );
  const scores = new Map([...also, ...lexical].map((s) => [s.docId, s]));
  const candidates = [...new Set([...lexical.map((s) => s.docId), ...byTitle, ...bySense.keys()])];
  const copy = await currentCopy(deps.db, communityId, stats.version);
  const cards = await documentCards(deps.db, copy, candidates);
  // ...and every candidate on the semantic signal when a model is configured.
  const senses =
    model && queryVector
      ? new Map([
          ...(await similarityOf(
            deps.db,
            model,
            candidates.filter((id) => cards.has(id) && !bySense.has(id)),
            queryVector,
          )),
          ...bySense,
        ])
      : undefined;
  // Lexical scores are scaled by the best a document could reach for the whole title, words no
  // document holds included: a query matching only one common word is a weak match.
  const absent = titleTerms.filter((t) => !stats.df.has(t)).map((term) => ({ term, weight: 1 }));
  const best = maxScore([...terms, ...absent], stats);
  const queryWeight = terms.reduce((sum, t) => sum + t.weight, 0);
  const ranked = rankSimilar(cards, scores, best, titleGrams, ranking, options.keepAll, senses, queryWeight);
  const limit = Math.min(input.limit ?? SEARCH_LIMITS.similarDefault, options.limitMax ?? SEARCH_LIMITS.similarMax);
  const shown = await visibleFirst(deps.db, { communityId, audience: audienceOf(access) }, ranked, limit);
  const topics = await hitTopics(
    deps,
    access,
    shown.map(({ row }) => row.tId),
  );
  return shown
    .map(({ row, score }) => ({
      type: row.docType,
      topic: row.tId === null ? null : (topics.get(row.tId) ?? null),
      article: articleOfHit(row, access.community, topics),
      score: Math.round(score * 1e4) / 1e4,
    }))
    .filter((item) => item.type === "article" || item.topic !== null);
}

/**
 * The first `limit` of the ranked documents the audience may see and that are not duplicates, an
 * article and its source topic shown once: rows are read in the ranking's order, a few more than
 * asked for at a time, so a page of five reads about ten rows, not one per candidate.
 */
async function visibleFirst(
  db: Db,
  request: { communityId: number; audience: Audience },
  ranked: Ranked[],
  limit: number,
) {
  const shown: Scored[] = [];
  const shownTopics = new Set<number>();
  for (let at = 0, chunk = Math.max(10, 2 * limit); at < ranked.length && shown.length < limit; chunk *= 2) {
    const part = ranked.slice(at, at + chunk);
    at += chunk;
    const found = await hitRows(
      db,
      { ...request, exceptDuplicates: true },
      part.map((r) => r.docId),
    );
    const rows = new Map(found.map((row) => [Number(row.docId), row]));
    for (const { docId, score } of part) {
      const row = rows.get(docId);
      if (!row || shown.length === limit || (row.tId !== null && shownTopics.has(row.tId))) continue;
      if (row.tId !== null) shownTopics.add(row.tId);
      shown.push({ row, score });
    }
  }
  return shown;
}

export interface Ranked {
  docId: number;
  score: number;
}

/**
 * Combined score of each candidate with a card (the index still holds it), best first (articles
 * first), the threshold applied.
 */
export function rankSimilar(
  cards: Map<number, DocumentCard>,
  scores: Map<number, DocScore>,
  lexicalMax: number,
  titleGrams: Float64Array,
  ranking: SimilarRanking,
  keepAll = false,
  senses?: Map<number, number>,
  queryWeight = 1,
): Ranked[] {
  const scored = [...cards].map(([docId, card]) => {
    // The query likelihood per unit of query weight (at most a few units; below 0, none).
    const likelihood =
      ranking.likelihood > 0 && queryWeight > 0
        ? (ranking.likelihood * Math.max(0, scores.get(docId)?.likelihood ?? 0)) / queryWeight
        : 0;
    const lexical = (lexicalMax > 0 ? (scores.get(docId)?.score ?? 0) / lexicalMax : 0) + likelihood;
    const semantic = senses ? ranking.semantic * Math.max(0, senses.get(docId) ?? 0) : 0;
    const combined = lexical + ranking.trigram * trigramSimilarity(titleGrams, card.titleCodes) + semantic;
    const solved = card.article || card.solved;
    return { docId, article: card.article, score: combined * (solved ? 1 + ranking.solvedBoost : 1) };
  });
  return scored
    .filter((s) => s.score > 0 && (keepAll || s.score >= ranking.minScore))
    .sort((a, b) => Number(b.article) - Number(a.article) || b.score - a.score || b.docId - a.docId)
    .map(({ docId, score }) => ({ docId, score }));
}
