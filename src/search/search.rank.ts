import type { Db } from "../db/database.ts";
import {
  FIELDS,
  fieldFactors,
  idf,
  likelihoodOfTerm,
  type Bm25Params,
  type CorpusStats,
  type DocScore,
  type QueryTerm,
} from "./search.bm25.ts";
import { currentCopy, gramPostings, wordPostings } from "./search.memory.ts";

/**
 * BM25F (search.bm25.ts) over the postings memory holds (search.memory.ts), computed in
 * TypeScript: the same arithmetic on both engines by construction, and the best k of thousands
 * of candidates chosen without sorting them all.
 */
export interface RankRequest {
  communityId: number;
  terms: QueryTerm[];
  stats: CorpusStats;
  params: Bm25Params;
  /** Terms whose documents are the candidates... */
  full: string[];
  /** ...and terms that only add to the scores of those (see splitByBudget). */
  restricted?: string[];
  /**
   * similar: by score; search: documents holding every term first, then articles, then score
   * with `solvedBoost` for solved topics and articles.
   */
  order: "similar" | "search";
  solvedBoost?: number;
  /**
   * Also the query likelihood of each document returned (search.bm25.ts likelihoodOfTerm),
   * Dirichlet-smoothed with this mu, over the fields weighted as `params` weighs them.
   */
  likelihoodMu?: number;
  limit: number;
  offset?: number;
}

/**
 * BM25F of the request's documents (search.bm25.ts), best first: the documents holding one of
 * the `full` terms are the candidates, `restricted` terms only add to their scores. Scores are
 * rounded to 1e-9, as the order has always compared them.
 */
export async function rankInMemory(db: Db, request: RankRequest): Promise<DocScore[]> {
  return (await rankWithAlso(db, request, [])).ranked;
}

/**
 * rankInMemory, and in the same pass `also` these documents, candidates or not, scored on every
 * term (the similar questions' title-trigram candidates): reading the postings once for both
 * costs half of ranking twice. `also` comes best first too, without the ones no term matched.
 */
export async function rankWithAlso(
  db: Db,
  request: RankRequest,
  alsoDocs: number[],
): Promise<{ ranked: DocScore[]; also: DocScore[] }> {
  const { terms, stats, params } = request;
  const restricted = new Set(request.restricted ?? []);
  const full = new Set(request.full);
  const table = await currentCopy(db, request.communityId, stats.version);
  const postings = await wordPostings(
    db,
    table,
    terms.map((t) => t.term).filter((t) => full.has(t) || restricted.has(t)),
  );
  // The copy may have grown since these postings were read (another query's terms): only what
  // they point to matters.
  const size = table.ids.length;
  if (size === 0) return { ranked: [], also: [] };
  const { score, matched, candidate } = scratch(size);
  const alsoAt: number[] = [];
  for (const docId of alsoDocs) {
    const at = table.index.get(docId);
    if (at !== undefined && candidate[at] === 0) {
      candidate[at] = ALSO;
      alsoAt.push(at);
    }
  }
  const factors = fieldTerms(params, stats);
  const accumulator = { score, matched, candidate, lens: table.lens, k1: params.k1 };
  const mu = request.likelihoodMu;
  const likelihood = mu ? likelihoodScratch(size) : null;
  const collection = likelihood ? collectionLength(factors.weight, stats) : 0;
  const add = (term: QueryTerm, candidatesOnly: boolean) => {
    const entry = postings.get(term.term);
    if (!entry) return;
    const weight = term.weight * idf(stats.df.get(term.term) ?? 0, stats.docs);
    scoreTerm(entry.docs, entry.tf, weight, candidatesOnly, factors, accumulator);
    if (mu && likelihood && collection > 0)
      addLikelihood(entry.docs, entry.tf, term.weight, mu, factors.weight, collection, likelihood);
  };
  for (const term of terms) if (full.has(term.term)) add(term, false);
  for (const term of terms) if (restricted.has(term.term) && !full.has(term.term)) add(term, true);

  const round = (value: number) => Math.round(value * 1e9) / 1e9;
  const boost = request.solvedBoost ?? 1;
  const found: number[] = [];
  for (let at = 0; at < size; at++) {
    if (matched[at] === 0 || candidate[at] === 0) continue;
    if (candidate[at] === CANDIDATE) found.push(at);
    const boosted = request.order === "search" && (table.solved[at] === 1 || table.article[at]) ? boost : 1;
    score[at] = round(score[at] * boosted);
  }
  const all = terms.length;
  const before =
    request.order === "search"
      ? (a: number, b: number) =>
          Number(matched[b] === all) - Number(matched[a] === all) ||
          Number(table.article[b]) - Number(table.article[a]) ||
          score[b] - score[a] ||
          table.ids[b] - table.ids[a]
      : (a: number, b: number) => score[b] - score[a] || table.ids[b] - table.ids[a];
  const offset = request.offset ?? 0;
  const queryWeight = terms.reduce((sum, t) => sum + t.weight, 0);
  const likelihoodOf = (at: number): number => {
    let length = 0;
    for (let f = 0; f < FIELDS.length; f++) length += factors.weight[f] * table.lens[f][at];
    return round(likelihood![at] + queryWeight * Math.log(mu! / (length + mu!)));
  };
  const docScore = (at: number): DocScore => ({
    docId: table.ids[at],
    docType: table.article[at] ? "article" : "topic",
    solved: table.solved[at],
    score: score[at],
    matched: matched[at],
    ...(mu && likelihood ? { likelihood: likelihoodOf(at) } : {}),
  });
  const matchedAlso = alsoAt.filter((at) => matched[at] > 0);
  return {
    ranked: best(found, request.limit + offset, before)
      .slice(offset)
      .map(docScore),
    also: best(matchedAlso, matchedAlso.length, before).map(docScore),
  };
}

/** Marks in `candidate`: found by a full term, or only asked for as `also`. */
const CANDIDATE = 1;
const ALSO = 2;

const buffers = { score: new Float64Array(0), matched: new Uint16Array(0), candidate: new Uint8Array(0) };

/**
 * Zeroed accumulators for `size` documents, the same buffers for every query: ranking runs
 * without awaiting from here on, so no two queries use them at once, and ten thousand documents
 * cost no garbage per query.
 */
function scratch(size: number): typeof buffers {
  if (buffers.score.length < size) {
    const room = Math.ceil(size * 1.25);
    buffers.score = new Float64Array(room);
    buffers.matched = new Uint16Array(room);
    buffers.candidate = new Uint8Array(room);
  }
  buffers.score.fill(0, 0, size);
  buffers.matched.fill(0, 0, size);
  buffers.candidate.fill(0, 0, size);
  return {
    score: buffers.score.subarray(0, size),
    matched: buffers.matched.subarray(0, size),
    candidate: buffers.candidate.subarray(0, size),
  };
}

let likelihoodBuffer = new Float64Array(0);

/** Zeroed query-likelihood sums for `size` documents (as scratch: one buffer for every query). */
function likelihoodScratch(size: number): Float64Array {
  if (likelihoodBuffer.length < size) likelihoodBuffer = new Float64Array(Math.ceil(size * 1.25));
  likelihoodBuffer.fill(0, 0, size);
  return likelihoodBuffer.subarray(0, size);
}

/** The collection's field-weighted length, from the statistics' average field lengths. */
function collectionLength(weights: Float64Array, stats: CorpusStats): number {
  let length = 0;
  for (let f = 0; f < FIELDS.length; f++) length += weights[f] * stats.avg[FIELDS[f]] * stats.docs;
  return length;
}

/**
 * Adds one term's qw x ln(1 + tf_w / (mu x P(t | C))) to every document holding it (tf_w: its
 * field-weighted count; P(t | C): the weighted count over all its postings, by the collection's
 * weighted length).
 */
function addLikelihood(
  docs: Int32Array,
  tf: Uint16Array,
  queryWeight: number,
  mu: number,
  weights: Float64Array,
  collection: number,
  into: Float64Array,
): void {
  const width = FIELDS.length;
  let count = 0;
  for (let o = 0; o < tf.length; o += width) for (let f = 0; f < width; f++) count += weights[f] * tf[o + f];
  if (count <= 0) return;
  const share = count / collection;
  for (let i = 0, o = 0; i < docs.length; i++, o += width) {
    let weighted = 0;
    for (let f = 0; f < width; f++) weighted += weights[f] * tf[o + f];
    if (weighted > 0) into[docs[i]] += queryWeight * likelihoodOfTerm(weighted, share, mu);
  }
}

/** Per field (FIELDS order, weight 0 where the field takes no part): w_f, 1 - b_f and b_f / avg_f. */
function fieldTerms(
  params: Bm25Params,
  stats: CorpusStats,
): { weight: Float64Array; base: Float64Array; per: Float64Array } {
  const weight = new Float64Array(FIELDS.length);
  const base = new Float64Array(FIELDS.length).fill(1);
  const per = new Float64Array(FIELDS.length);
  for (const f of fieldFactors(params, stats)) {
    const at = FIELDS.indexOf(f.field);
    weight[at] = f.weight;
    base[at] = f.base;
    per[at] = f.perTerm;
  }
  return { weight, base, per };
}

/**
 * Adds one term's qw x idf x tf~ / (k1 + tf~) to the documents it is in (only to candidates and
 * `also` documents when `candidatesOnly`, else making them candidates). The hot loop of every search: the five fields
 * are spelled out, summed in FIELDS order as fieldFactors lists them.
 */
function scoreTerm(
  docs: Int32Array,
  tf: Uint16Array,
  weight: number,
  candidatesOnly: boolean,
  fields: { weight: Float64Array; base: Float64Array; per: Float64Array },
  into: { score: Float64Array; matched: Uint16Array; candidate: Uint8Array; lens: number[][]; k1: number },
): void {
  const { score, matched, candidate, lens, k1 } = into;
  const [w0, w1, w2, w3, w4] = fields.weight;
  const [b0, b1, b2, b3, b4] = fields.base;
  const [p0, p1, p2, p3, p4] = fields.per;
  const [l0, l1, l2, l3, l4] = lens;
  for (let i = 0, o = 0; i < docs.length; i++, o += FIELDS.length) {
    const at = docs[i];
    if (!candidatesOnly) candidate[at] = CANDIDATE;
    else if (candidate[at] === 0) continue;
    let weighted = 0;
    if (tf[o] > 0 && w0 > 0) weighted += (w0 * tf[o]) / (b0 + p0 * l0[at]);
    if (tf[o + 1] > 0 && w1 > 0) weighted += (w1 * tf[o + 1]) / (b1 + p1 * l1[at]);
    if (tf[o + 2] > 0 && w2 > 0) weighted += (w2 * tf[o + 2]) / (b2 + p2 * l2[at]);
    if (tf[o + 3] > 0 && w3 > 0) weighted += (w3 * tf[o + 3]) / (b3 + p3 * l3[at]);
    if (tf[o + 4] > 0 && w4 > 0) weighted += (w4 * tf[o + 4]) / (b4 + p4 * l4[at]);
    if (weighted > 0) {
      score[at] += (weight * weighted) / (k1 + weighted);
      matched[at]++;
    }
  }
}

/** Documents sharing the most of these title trigrams, best first (ties: newest first). */
export async function gramsInMemory(
  db: Db,
  communityId: number,
  version: number,
  grams: string[],
  limit: number,
): Promise<number[]> {
  const copy = await currentCopy(db, communityId, version);
  const counts = new Map<number, number>();
  for (const entry of (await gramPostings(db, copy, grams)).values())
    for (const docId of entry.docIds) counts.set(docId, (counts.get(docId) ?? 0) + 1);
  const docIds = [...counts.keys()];
  return best(
    docIds.map((_, i) => i),
    limit,
    (a, b) => counts.get(docIds[b])! - counts.get(docIds[a])! || docIds[b] - docIds[a],
  ).map((i) => docIds[i]);
}

/**
 * The k first items in the order `compare` gives (negative: a first), in that order: a binary
 * heap keeps the k best seen so far with the worst of them at its root, so choosing among ten
 * thousand candidates costs ten thousand comparisons with the root, not a sort.
 */
function best(items: number[], k: number, compare: (a: number, b: number) => number): number[] {
  const heap: number[] = [];
  const swap = (i: number, j: number) => {
    const held = heap[i];
    heap[i] = heap[j];
    heap[j] = held;
  };
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (compare(heap[parent], heap[i]) >= 0) break;
        swap(parent, i);
        i = parent;
      }
    } else if (k > 0 && compare(item, heap[0]) < 0) {
      heap[0] = item;
      for (let i = 0; ; ) {
        let worst = i;
        const left = 2 * i + 1;
        if (left < heap.length && compare(heap[worst], heap[left]) < 0) worst = left;
        if (left + 1 < heap.length && compare(heap[worst], heap[left + 1]) < 0) worst = left + 1;
        if (worst === i) break;
        swap(worst, i);
        i = worst;
      }
    }
  }
  return heap.sort(compare);
}
