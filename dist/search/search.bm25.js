/**
 * BM25F over the indexer's own postings and statistics, so SQLite and PostgreSQL rank the same
 * corpus the same way: the same terms, document frequencies and lengths, the same double
 * arithmetic per posting (search.postings.ts rankPostings), scores rounded to 1e-9 before they
 * are ordered (SQLite sums with compensation, PostgreSQL without: they may differ in the last bit).
 *
 *   score(d) = sum over query terms t of  qw(t) * idf(t) * tf~ / (k1 + tf~)
 *   tf~      = sum over fields f of  w_f * tf_f / (1 - b_f + b_f * len_f / avglen_f)
 *   idf(t)   = ln(1 + (N - df + 0.5) / (df + 0.5))
 *
 * (Robertson and Zaragoza's BM25F; the idf is Lucene's, never negative.)
 */
export const FIELDS = ["title", "tags", "body", "accepted", "replies"];
export function idf(df, docs) {
    return Math.log(1 + (Math.max(0, docs - df) + 0.5) / (df + 0.5));
}
/**
 * What the database needs to compute the weighted term frequency of a posting with the same
 * arithmetic on both engines: per field, w_f and the length normalisation 1 - b_f + (b_f / avg_f) * len.
 */
export function fieldFactors(params, stats) {
    return FIELDS.filter((field) => params.weights[field] > 0).map((field) => ({
        field,
        weight: params.weights[field],
        base: 1 - params.b[field],
        perTerm: params.b[field] / stats.avg[field],
    }));
}
/** The highest score a document could reach for these terms (every term saturated): scales scores to 0..1. */
export function maxScore(terms, stats) {
    return terms.reduce((sum, t) => sum + t.weight * idf(stats.df.get(t.term) ?? 0, stats.docs), 0);
}
