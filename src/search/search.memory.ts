import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import {
  FIELDS,
  fieldFactors,
  idf,
  type Bm25Params,
  type CorpusStats,
  type DocScore,
  type FieldWeights,
  type QueryTerm,
} from "./search.bm25.ts";

/**
 * The postings of the terms being searched, kept in memory between queries, and BM25F computed
 * over them in TypeScript: the same arithmetic on both engines by construction, and no grouping
 * or sorting of thousands of rows in the database per keystroke (a word most questions hold has
 * thousands of postings; reading and ranking them in SQL cost 20-40 ms per query).
 *
 * What is kept is what the database holds at a version of the community's index (search_stats,
 * migration 030, raised by every change to its postings and read with the statistics each query
 * reads anyway): a query at another version reads its terms again, so every instance sees a new
 * post on its next query. Kept per database handle (tests open many), bounded in bytes, least
 * recently used terms dropped first; a query holds its own terms while it runs.
 */
const MEMORY_BYTES = 16 * 1024 * 1024;
/** Terms read in one statement. */
const TERMS_PER_READ = 200;
/** Communities whose document tables are kept (the least recently searched go first)... */
const COMMUNITIES_MAX = 64;
/** ...and document frequencies kept per community between two changes to its index. */
const DF_TERMS_MAX = 50_000;

/** The documents the loaded postings point to, at one version of a community's index. */
interface DocTable {
  version: string;
  /** Document frequencies looked up at this version (0: no document holds the term). */
  df: Map<string, number>;
  index: Map<number, number>;
  ids: number[];
  /** Field lengths in terms, per field (FIELDS order), by dense index. */
  lens: number[][];
  article: boolean[];
  solved: number[];
}

interface TermPostings {
  table: DocTable;
  /** Dense document indexes. */
  docs: Int32Array;
  /** Term frequency per field (FIELDS order), FIELDS.length per posting. */
  tf: Uint16Array;
  bytes: number;
}

interface GramPostings {
  version: string;
  docIds: Int32Array;
}

interface Memory {
  tables: Map<number, DocTable>;
  /** Keyed "communityId term", in use order (least recent first). */
  terms: Map<string, TermPostings | GramPostings>;
  bytes: number;
}

const memories = new WeakMap<Db, Memory>();

function memoryOf(db: Db): Memory {
  let memory = memories.get(db);
  if (!memory) {
    memory = { tables: new Map(), terms: new Map(), bytes: 0 };
    memories.set(db, memory);
  }
  return memory;
}

/** Bytes an entry holds (typed arrays, plus a little for the objects around them). */
const bytesOf = (entry: TermPostings | GramPostings) => ("tf" in entry ? entry.bytes : entry.docIds.byteLength + 64);

function remember(memory: Memory, key: string, entry: TermPostings | GramPostings): void {
  const old = memory.terms.get(key);
  if (old) memory.bytes -= bytesOf(old);
  memory.terms.delete(key);
  memory.terms.set(key, entry);
  memory.bytes += bytesOf(entry);
  for (const [oldest, value] of memory.terms) {
    if (memory.bytes <= MEMORY_BYTES) break;
    memory.terms.delete(oldest);
    memory.bytes -= bytesOf(value);
  }
}

/** A term found in memory at this version moves to the most recently used end. */
function recall<T extends TermPostings | GramPostings>(
  memory: Memory,
  key: string,
  fresh: (entry: TermPostings | GramPostings) => entry is T,
): T | undefined {
  const entry = memory.terms.get(key);
  if (!entry || !fresh(entry)) return undefined;
  memory.terms.delete(key);
  memory.terms.set(key, entry);
  return entry;
}

function tableOf(memory: Memory, communityId: number, version: string): DocTable {
  const table = memory.tables.get(communityId);
  memory.tables.delete(communityId);
  if (table?.version === version) {
    memory.tables.set(communityId, table);
    return table;
  }
  const made: DocTable = {
    version,
    df: new Map(),
    index: new Map(),
    ids: [],
    lens: FIELDS.map(() => []),
    article: [],
    solved: [],
  };
  memory.tables.set(communityId, made);
  for (const oldest of memory.tables.keys()) {
    if (memory.tables.size <= COMMUNITIES_MAX) break;
    memory.tables.delete(oldest);
  }
  return made;
}

/**
 * Documents, average field lengths and the document frequency of each of these terms, in one
 * community, at the current version of its index: one query for the totals and, for terms not
 * looked up since the last change, one for their frequencies.
 */
export async function corpusStats(db: Db, communityId: number, terms: string[]): Promise<CorpusStats> {
  const totals = await db
    .selectFrom("searchStats")
    .selectAll()
    .where("communityId", "=", communityId)
    .executeTakeFirst();
  const docs = Math.max(0, Number(totals?.docs ?? 0));
  // The version with the totals: a community whose statistics row was made anew cannot meet an
  // older copy of itself in memory.
  const version = totals
    ? [
        totals.version,
        totals.docs,
        totals.lenTitle,
        totals.lenTags,
        totals.lenBody,
        totals.lenAccepted,
        totals.lenReplies,
      ]
        .map(String)
        .join(":")
    : "";
  const avg = (sum: unknown): number => (docs > 0 ? Math.max(1, Number(sum) / docs) : 1);
  const average: FieldWeights = {
    title: avg(totals?.lenTitle),
    tags: avg(totals?.lenTags),
    body: avg(totals?.lenBody),
    accepted: avg(totals?.lenAccepted),
    replies: avg(totals?.lenReplies),
  };
  const known = tableOf(memoryOf(db), communityId, version).df;
  if (known.size > DF_TERMS_MAX) known.clear();
  const missing = [...new Set(terms)].filter((t) => !known.has(t));
  for (const part of chunks(missing, TERMS_PER_READ)) {
    const rows = await db
      .selectFrom("searchTerms")
      .select(["term", "df"])
      .where("communityId", "=", communityId)
      .where("term", "in", part)
      .execute();
    for (const term of part) known.set(term, 0);
    for (const row of rows) known.set(row.term, Math.min(docs, Math.max(0, Number(row.df))));
  }
  const df = new Map<string, number>();
  for (const term of terms) if (known.get(term)! > 0) df.set(term, known.get(term)!);
  return { docs, avg: average, df, version };
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

interface PostingRow {
  term: string;
  docId: number;
  title: number;
  tags: number;
  body: number;
  accepted: number;
  replies: number;
  lenTitle: number;
  lenTags: number;
  lenBody: number;
  lenAccepted: number;
  lenReplies: number;
  docType: "topic" | "article";
  solved: number;
}

/** The statement that reads terms' postings with their documents' lengths (bench/explain.ts prints its plan). */
export function postingsQuery(communityId: number, terms: string[]) {
  return sql<PostingRow>`select p.term, p.doc_id, p.title, p.tags, p.body, p.accepted, p.replies,
      d.len_title, d.len_tags, d.len_body, d.len_accepted, d.len_replies, d.doc_type, d.solved
    from search_postings p join search_documents d on d.id = p.doc_id
    where p.community_id = ${communityId} and p.term in (${sql.join(terms.map((t) => sql`${t}`))})`;
}

/** The postings of these words at this version of the community's index, from memory or read once. */
async function wordPostings(
  db: Db,
  communityId: number,
  version: string,
  words: string[],
): Promise<{ table: DocTable; found: Map<string, TermPostings> }> {
  const memory = memoryOf(db);
  const table = tableOf(memory, communityId, version);
  const found = new Map<string, TermPostings>();
  const missing: string[] = [];
  for (const word of new Set(words)) {
    const entry = recall(memory, `${communityId} ${word}`, (e): e is TermPostings => "tf" in e && e.table === table);
    if (entry) found.set(word, entry);
    else missing.push(word);
  }
  for (const part of chunks(missing, TERMS_PER_READ)) {
    const { rows } = await postingsQuery(communityId, part).execute(db);
    const byTerm = new Map<string, PostingRow[]>(part.map((t) => [t, []]));
    for (const row of rows) byTerm.get(row.term)?.push(row);
    for (const [term, list] of byTerm) {
      const docs = new Int32Array(list.length);
      const tf = new Uint16Array(list.length * FIELDS.length);
      list.forEach((row, i) => {
        docs[i] = denseIndex(table, row);
        FIELDS.forEach((field, f) => {
          // A field holds at most a few thousand words (replies are cut at 200,000 characters).
          tf[i * FIELDS.length + f] = Math.min(65_535, Number(row[field]));
        });
      });
      const entry = { table, docs, tf, bytes: docs.byteLength + tf.byteLength + 64 };
      remember(memory, `${communityId} ${term}`, entry);
      found.set(term, entry);
    }
  }
  return { table, found };
}

const LENGTHS = ["lenTitle", "lenTags", "lenBody", "lenAccepted", "lenReplies"] as const;

function denseIndex(table: DocTable, row: PostingRow): number {
  const docId = Number(row.docId);
  let at = table.index.get(docId);
  if (at === undefined) {
    at = table.ids.length;
    table.index.set(docId, at);
    table.ids.push(docId);
  }
  LENGTHS.forEach((column, f) => {
    table.lens[f][at] = Number(row[column]);
  });
  table.article[at] = row.docType === "article";
  table.solved[at] = Number(row.solved);
  return at;
}

export interface RankRequest {
  communityId: number;
  terms: QueryTerm[];
  stats: CorpusStats;
  params: Bm25Params;
  /** Terms whose documents are the candidates... */
  full: string[];
  /** ...and terms that only add to the scores of those (see splitByBudget). */
  restricted?: string[];
  /** Score only these documents (every term read). */
  onlyDocs?: number[];
  /**
   * similar: by score; search: documents holding every term first, then articles, then score
   * with `solvedBoost` for solved topics and articles.
   */
  order: "similar" | "search";
  solvedBoost?: number;
  limit: number;
  offset?: number;
}

/**
 * BM25F of the request's documents (search.bm25.ts), best first: the documents holding one of
 * the `full` terms are the candidates, `restricted` terms only add to their scores, `onlyDocs`
 * scores those documents on every term. Scores are rounded to 1e-9, as the order has always
 * compared them.
 */
export async function rankInMemory(db: Db, request: RankRequest): Promise<DocScore[]> {
  const { terms, stats, params } = request;
  const restricted = new Set(request.onlyDocs ? [] : (request.restricted ?? []));
  const full = new Set(request.full);
  const { table, found: postings } = await wordPostings(
    db,
    request.communityId,
    stats.version,
    terms.map((t) => t.term).filter((t) => full.has(t) || restricted.has(t)),
  );
  // The table may have grown since these postings were read (another query's terms): only what
  // they point to matters.
  const size = table.ids.length;
  if (size === 0) return [];
  const score = new Float64Array(size);
  const matched = new Uint16Array(size);
  const candidate = new Uint8Array(size);
  if (request.onlyDocs)
    for (const docId of request.onlyDocs) {
      const at = table.index.get(docId);
      if (at !== undefined) candidate[at] = 1;
    }
  const factors = fieldFactors(params, stats).map((f) => ({ ...f, at: FIELDS.indexOf(f.field) }));
  const add = (term: QueryTerm, candidatesOnly: boolean) => {
    const entry = postings.get(term.term);
    if (!entry) return;
    const weight = term.weight * idf(stats.df.get(term.term) ?? 0, stats.docs);
    const { docs, tf } = entry;
    for (let i = 0; i < docs.length; i++) {
      const at = docs[i];
      if (candidatesOnly && candidate[at] === 0) continue;
      candidate[at] = 1;
      let weighted = 0;
      for (const f of factors) {
        const count = tf[i * FIELDS.length + f.at];
        if (count > 0) weighted += (f.weight * count) / (f.base + f.perTerm * table.lens[f.at][at]);
      }
      if (weighted > 0) {
        score[at] += (weight * weighted) / (params.k1 + weighted);
        matched[at]++;
      }
    }
  };
  const onlyCandidates = request.onlyDocs !== undefined;
  for (const term of terms) if (full.has(term.term)) add(term, onlyCandidates);
  for (const term of terms) if (restricted.has(term.term) && !full.has(term.term)) add(term, true);

  const round = (value: number) => Math.round(value * 1e9) / 1e9;
  const boost = request.solvedBoost ?? 1;
  const found: number[] = [];
  const final = new Float64Array(size);
  for (let at = 0; at < size; at++) {
    if (matched[at] === 0 || candidate[at] === 0) continue;
    found.push(at);
    const boosted = request.order === "search" && (table.solved[at] === 1 || table.article[at]) ? boost : 1;
    final[at] = round(score[at] * boosted);
  }
  const all = terms.length;
  const before =
    request.order === "search"
      ? (a: number, b: number) =>
          Number(matched[b] === all) - Number(matched[a] === all) ||
          Number(table.article[b]) - Number(table.article[a]) ||
          final[b] - final[a] ||
          table.ids[b] - table.ids[a]
      : (a: number, b: number) => final[b] - final[a] || table.ids[b] - table.ids[a];
  const offset = request.offset ?? 0;
  return best(found, request.limit + offset, before)
    .slice(offset)
    .map((at) => ({
      docId: table.ids[at],
      docType: table.article[at] ? "article" : "topic",
      solved: table.solved[at],
      score: final[at],
      matched: matched[at],
    }));
}

/** The statement that reads title trigrams' postings (bench/explain.ts prints its plan). */
export function gramPostingsQuery(communityId: number, grams: string[]) {
  return sql<{ term: string; docId: number }>`select term, doc_id from search_postings
    where community_id = ${communityId} and term in (${sql.join(grams.map((t) => sql`${t}`))})`;
}

/** Documents sharing the most of these title trigrams, best first (ties: newest first). */
export async function gramsInMemory(
  db: Db,
  communityId: number,
  version: string,
  grams: string[],
  limit: number,
): Promise<number[]> {
  const memory = memoryOf(db);
  const counts = new Map<number, number>();
  const count = (docIds: Int32Array) => {
    for (const docId of docIds) counts.set(docId, (counts.get(docId) ?? 0) + 1);
  };
  const missing: string[] = [];
  for (const gram of new Set(grams)) {
    const entry = recall(
      memory,
      `${communityId} ${gram}`,
      (e): e is GramPostings => "docIds" in e && e.version === version,
    );
    if (entry) count(entry.docIds);
    else missing.push(gram);
  }
  for (const part of chunks(missing, TERMS_PER_READ)) {
    const { rows } = await gramPostingsQuery(communityId, part).execute(db);
    const byTerm = new Map<string, number[]>(part.map((t) => [t, []]));
    for (const row of rows) byTerm.get(row.term)?.push(Number(row.docId));
    for (const [gram, ids] of byTerm) {
      const entry = { version, docIds: Int32Array.from(ids) };
      remember(memory, `${communityId} ${gram}`, entry);
      count(entry.docIds);
    }
  }
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
    [heap[i], heap[j]] = [heap[j], heap[i]];
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
        for (const child of [2 * i + 1, 2 * i + 2])
          if (child < heap.length && compare(heap[worst], heap[child]) < 0) worst = child;
        if (worst === i) break;
        swap(worst, i);
        i = worst;
      }
    }
  }
  return heap.sort(compare);
}
