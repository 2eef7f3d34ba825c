import { hitRows } from "./search.backend.js";
import { corpusStats, rankPostings } from "./search.postings.js";
import { highlight } from "./search.text.js";
/**
 * Full-text search ranking: BM25F over every field of a topic (title, tags, body, accepted answer,
 * other replies), the same arithmetic on both engines (search.bm25.ts). Documents holding every
 * query word come first, then those holding some, each group with articles first and then by
 * score (solved topics boosted); ties go to the newest document.
 */
export const SEARCH_BM25 = {
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
/** The terms whose postings are read in full, and the rest (read only for what those found). */
export function splitByBudget(terms, df, budget) {
    const present = terms.filter((t) => (df.get(t) ?? 0) > 0);
    const sorted = [...present].sort((a, b) => df.get(a) - df.get(b) || (a < b ? -1 : 1));
    const full = [];
    let docs = 0;
    for (const term of sorted) {
        if (full.length > 0 && docs + df.get(term) > budget)
            break;
        full.push(term);
        docs += df.get(term);
    }
    return [full, sorted.slice(full.length)];
}
/** One page of ranked hits the audience may see, with snippets; `offset` counts visible hits. */
export async function fullTextSearch(db, dialect, request) {
    const { terms } = request;
    if (terms.length === 0)
        return [];
    const stats = await corpusStats(db, request.communityId, terms);
    const [full, restricted] = splitByBudget(terms, stats.df, POSTINGS_BUDGET);
    const wanted = request.offset + request.limit;
    // Ranked candidates are read in growing chunks until enough of them are visible to the reader.
    const visible = [];
    let chunk = Math.max(50, wanted * 2);
    for (let at = 0; visible.length < wanted; at += chunk, chunk *= 2) {
        const ranked = await rankPostings(db, dialect, {
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
        const rows = await hitRows(db, request, ranked.map((s) => s.docId), false);
        const found = new Map(rows.map((r) => [Number(r.docId), r]));
        for (const score of ranked) {
            const row = found.get(score.docId);
            if (row)
                visible.push({ score, row });
        }
        if (ranked.length < chunk)
            break;
    }
    const page = visible.slice(request.offset, wanted);
    const texts = new Map((await hitRows(db, request, page.map((p) => p.score.docId), true)).map((r) => [Number(r.docId), r]));
    const termSet = new Set(terms);
    return page.map(({ score, row }) => {
        const text = texts.get(score.docId) ?? row;
        const snip = (value) => (value ? highlight(value, termSet, request.locale) : null);
        return {
            ...row,
            score: score.score,
            all: score.matched === terms.length,
            snipBody: snip(text.bodyText),
            snipAccepted: snip(text.acceptedText),
            snipReplies: snip(text.repliesText),
        };
    });
}
