/**
 * BM25F over the indexer's own postings and statistics, so SQLite and PostgreSQL rank the same
 * corpus the same way: the same terms, document frequencies and lengths, the same double
 * arithmetic per posting (search.memory.ts rankInMemory), scores rounded to 1e-9 before they
 * are ordered (SQLite sums with compensation, PostgreSQL without: they may differ in the last bit).
 *
 *   score(d) = sum over query terms t of  qw(t) * idf(t) * tf~ / (k1 + tf~)
 *   tf~      = sum over fields f of  w_f * tf_f / (1 - b_f + b_f * len_f / avglen_f)
 *   idf(t)   = ln(1 + (N - df + 0.5) / (df + 0.5))
 *
 * (Robertson and Zaragoza's BM25F; the idf is Lucene's, never negative.)
 */
export const FIELDS = ["title", "tags", "body", "accepted", "replies"] as const;
export type Field = (typeof FIELDS)[number];
export type FieldWeights = Record<Field, number>;

export interface Bm25Params {
  k1: number;
  /** Length normalisation per field (0: none, 1: full). */
  b: FieldWeights;
  weights: FieldWeights;
}

export interface CorpusStats {
  docs: number;
  /** Average field length in terms (at least 1). */
  avg: FieldWeights;
  /** Document frequency per term (missing: 0). */
  df: Map<string, number>;
  /** The version of the community's index these statistics belong to (search_stats, migration 030). */
  version: number;
}

export interface QueryTerm {
  term: string;
  /** Query-side weight (title words 1, words picked from a body less). */
  weight: number;
}

export interface DocScore {
  docId: number;
  docType: "topic" | "article";
  solved: number;
  /** BM25F, rounded to 1e-9. */
  score: number;
  /** Query terms found in a field with weight (for "every word" matching). */
  matched: number;
  /** The query likelihood (likelihoodOfTerm), when RankRequest.likelihoodMu asks: similar questions mix it in. */
  likelihood?: number;
}

export function idf(df: number, docs: number): number {
  return Math.log(1 + (Math.max(0, docs - df) + 0.5) / (df + 0.5));
}

/**
 * What the database needs to compute the weighted term frequency of a posting with the same
 * arithmetic on both engines: per field, w_f and the length normalisation 1 - b_f + (b_f / avg_f) * len.
 */
export function fieldFactors(
  params: Bm25Params,
  stats: CorpusStats,
): { field: Field; weight: number; base: number; perTerm: number }[] {
  return FIELDS.filter((field) => params.weights[field] > 0).map((field) => ({
    field,
    weight: params.weights[field],
    base: 1 - params.b[field],
    perTerm: params.b[field] / stats.avg[field],
  }));
}

/**
 * Query likelihood with Dirichlet smoothing (Zhai and Lafferty), as the log ratio that ranks like
 * log P(query | document), over the same weighted fields as BM25F (w_f x tf_f counted as words):
 *
 *   ql(d) = sum over query terms t in d of  qw(t) * ln(1 + tf_w(t, d) / (mu * P(t | C)))
 *           + (sum of qw) * ln(mu / (len_w(d) + mu))
 *
 * P(t | C) is the term's weighted count over all documents by the collection's weighted length.
 * Its length term rewards a document that says the query's words in few words, and each matched
 * word counts by how much more the document uses it than the collection does: a different
 * reading of the same postings from BM25's saturation, which similar questions mix in.
 */
export function likelihoodOfTerm(tfWeighted: number, collectionShare: number, mu: number): number {
  return Math.log(1 + tfWeighted / (mu * collectionShare));
}

/** The highest score a document could reach for these terms (every term saturated): scales scores to 0..1. */
export function maxScore(terms: QueryTerm[], stats: CorpusStats): number {
  return terms.reduce((sum, t) => sum + t.weight * idf(stats.df.get(t.term) ?? 0, stats.docs), 0);
}
