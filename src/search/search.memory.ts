import { CamelCasePlugin, sql } from "kysely";
import type { Db } from "../db/database.ts";
import { idIn, textIn } from "../db/id-list.ts";
import { executeNamed, preparedFirst } from "../db/prepared.ts";
import { FIELDS, type CorpusStats, type FieldWeights } from "./search.bm25.ts";

/**
 * The postings of the terms being searched, kept in memory between queries (search.rank.ts ranks
 * them): a word most questions hold has thousands of postings, and reading, grouping and sorting
 * them in the database cost 20-40 ms per keystroke.
 *
 * What is kept is a copy of the community's index at a version (search_stats.version, migration
 * 030, raised by every change to its postings and read with the statistics each query reads
 * anyway). When a query finds a later version, the copy reads the documents indexed since
 * (search_documents.seq) and their postings, and puts them in place of what it held for those
 * documents: one small read per change, on every instance, instead of reading every term again.
 * A deleted document leaves no trace to read: its postings stay in the copy, where they can only
 * propose a document the visible-hits query no longer finds, until enough such changes (or too
 * many changes at once) make the copy read everything anew.
 *
 * Kept per database handle (tests open many), bounded in bytes, least recently used terms
 * dropped first; a query holds its own terms while it runs.
 */
const MEMORY_BYTES = 16 * 1024 * 1024;
/** Terms read in one statement. */
const TERMS_PER_READ = 200;
/** Documents changed since the copy's version read in place; more, and the copy starts anew. */
const REFRESH_DOCS_MAX = 1_000;
/** Changes not explained by a changed document (deletions) tolerated before the copy starts anew. */
const UNEXPLAINED_MAX = 200;
/** Communities whose copies are kept (the least recently searched go first)... */
const COMMUNITIES_MAX = 64;
/** ...and document frequencies kept per community between two changes to its index. */
const DF_TERMS_MAX = 50_000;
/** Cards kept over all copies, in bytes (about ten thousand titles); beyond, they start anew. */
const CARDS_BYTES = 4 * 1024 * 1024;

/**
 * A card: what similar questions rank a document by besides its postings, as the index holds it
 * (search_documents, read by search.cards.ts): its title's trigrams, its type and whether it is
 * solved. Kept in the copy, which forgets a document's card when the document changes, so
 * ranking every candidate reads no row but those it may show.
 */
export interface DocumentCard {
  /** trigramCodes of the title. */
  titleCodes: Float64Array;
  article: boolean;
  solved: boolean;
}

/** What memory holds of one community's index. */
export interface Copy {
  communityId: number;
  /** The version of the index this copy is current with. */
  version: number;
  /** Document frequencies looked up at this version (0: no document holds the term). */
  df: Map<string, number>;
  /** Dense index of each document the postings point to... */
  index: Map<number, number>;
  /** ...and, by dense index, its id, field lengths (FIELDS order), type and solved flag. */
  ids: number[];
  lens: number[][];
  article: boolean[];
  solved: number[];
  /** What search_documents says of documents similar questions ranked (search.cards.ts), by id... */
  cards: Map<number, DocumentCard>;
  /** ...and the bytes they hold. */
  cardBytes: number;
  /** Version steps no changed document explained (deleted documents). */
  unexplained: number;
  /** Terms memory holds for this copy. */
  entries: number;
  refreshing: Promise<void> | null;
}

export interface TermPostings {
  copy: Copy;
  term: string;
  /** Dense document indexes, ascending. */
  docs: Int32Array;
  /** Term frequency per field (FIELDS order), FIELDS.length per posting. */
  tf: Uint16Array;
}

export interface GramPostings {
  copy: Copy;
  term: string;
  /** Ascending. */
  docIds: Int32Array;
}

type Entry = TermPostings | GramPostings;

interface Memory {
  copies: Map<number, Copy>;
  /** Keyed "communityId term", in use order (least recent first). */
  terms: Map<string, Entry>;
  bytes: number;
  /** Reads under way, keyed as `terms`: a query needing a term another one is reading waits for that read. */
  reading: Map<string, { copy: Copy; entries: Promise<Map<string, Entry>> }>;
}

const memories = new WeakMap<Db, Memory>();

function memoryOf(db: Db): Memory {
  let memory = memories.get(db);
  if (!memory) {
    memory = { copies: new Map(), terms: new Map(), bytes: 0, reading: new Map() };
    memories.set(db, memory);
  }
  return memory;
}

/** Bytes an entry holds (typed arrays, plus a little for the objects around them). */
const bytesOf = (entry: Entry) =>
  ("tf" in entry ? entry.docs.byteLength + entry.tf.byteLength : entry.docIds.byteLength) + 96;
const keyOf = (communityId: number, term: string) => `${communityId} ${term}`;

function remember(memory: Memory, entry: Entry): void {
  const key = keyOf(entry.copy.communityId, entry.term);
  entry.copy.entries++;
  forget(memory, key);
  memory.terms.set(key, entry);
  memory.bytes += bytesOf(entry);
  for (const oldest of memory.terms.keys()) {
    if (memory.bytes <= MEMORY_BYTES) break;
    forget(memory, oldest);
  }
}

function forget(memory: Memory, key: string): void {
  const entry = memory.terms.get(key);
  if (!entry) return;
  memory.terms.delete(key);
  memory.bytes -= bytesOf(entry);
  // A copy whose terms all went goes too: its documents' table would otherwise outlive them.
  const { copy } = entry;
  if (--copy.entries === 0 && memory.copies.get(copy.communityId) === copy) memory.copies.delete(copy.communityId);
}

/** A term held for this copy moves to the most recently used end. */
function recall(memory: Memory, copy: Copy, term: string): Entry | undefined {
  const key = keyOf(copy.communityId, term);
  const entry = memory.terms.get(key);
  if (entry?.copy !== copy) return undefined;
  memory.terms.delete(key);
  memory.terms.set(key, entry);
  return entry;
}

function newCopy(memory: Memory, communityId: number, version: number): Copy {
  const old = memory.copies.get(communityId);
  if (old) for (const [key, entry] of memory.terms) if (entry.copy === old) forget(memory, key);
  const copy: Copy = {
    communityId,
    version,
    df: new Map(),
    index: new Map(),
    ids: [],
    lens: FIELDS.map(() => []),
    article: [],
    solved: [],
    cards: new Map(),
    cardBytes: 0,
    unexplained: 0,
    entries: 0,
    refreshing: null,
  };
  memory.copies.delete(communityId);
  memory.copies.set(communityId, copy);
  for (const oldest of memory.copies.keys()) {
    if (memory.copies.size <= COMMUNITIES_MAX) break;
    dropCopy(memory, oldest);
  }
  return copy;
}

function dropCopy(memory: Memory, communityId: number): void {
  const copy = memory.copies.get(communityId);
  memory.copies.delete(communityId);
  for (const [key, entry] of memory.terms) if (entry.copy === copy) forget(memory, key);
}

/**
 * The community's copy, current with at least this version of its index. A version below the
 * copy's is a query that read the statistics before another one caught the copy up: the copy serves.
 */
export async function currentCopy(db: Db, communityId: number, version: number): Promise<Copy> {
  const memory = memoryOf(db);
  for (;;) {
    const copy = memory.copies.get(communityId);
    if (!copy) return newCopy(memory, communityId, version);
    memory.copies.delete(communityId);
    memory.copies.set(communityId, copy);
    if (copy.version >= version) return copy;
    if (!copy.refreshing)
      copy.refreshing = refresh(db, memory, copy, version).finally(() => {
        copy.refreshing = null;
      });
    await copy.refreshing;
  }
}

/** Bytes a card holds (its trigram codes, plus a little for the object and its map entry). */
const bytesOfCard = (card: DocumentCard) => card.titleCodes.byteLength + 96;

/** Drops a document's card from the copy, with the bytes it held. */
function forgetCard(copy: Copy, docId: number): void {
  const card = copy.cards.get(docId);
  if (!card) return;
  copy.cardBytes -= bytesOfCard(card);
  copy.cards.delete(docId);
}

/**
 * Keeps these cards in the copy, if it is still the community's current copy. The cards of all
 * copies are bounded together in bytes: when these would go over, every copy's cards start anew.
 */
export function keepCards(db: Db, copy: Copy, cards: Map<number, DocumentCard>): void {
  const memory = memoryOf(db);
  if (memory.copies.get(copy.communityId) !== copy) return;
  let adding = 0;
  for (const card of cards.values()) adding += bytesOfCard(card);
  let held = 0;
  for (const other of memory.copies.values()) held += other.cardBytes;
  if (held + adding > CARDS_BYTES)
    for (const other of memory.copies.values()) {
      other.cards.clear();
      other.cardBytes = 0;
    }
  for (const [docId, card] of cards) {
    forgetCard(copy, docId);
    copy.cards.set(docId, card);
    copy.cardBytes += bytesOfCard(card);
  }
}

interface DocumentFields {
  lenTitle: number;
  lenTags: number;
  lenBody: number;
  lenAccepted: number;
  lenReplies: number;
  docType: "topic" | "article";
  solved: number;
}

type DocumentRow = DocumentFields & { id: number };

interface PostingRow {
  term: string;
  docId: number;
  title: number;
  tags: number;
  body: number;
  accepted: number;
  replies: number;
}

const LENGTHS = ["lenTitle", "lenTags", "lenBody", "lenAccepted", "lenReplies"] as const;
// Named as the rows' fields, so the rows are read without the camel-case plugin (plain): a cold
// read brings tens of thousands of them, and mapping each into a copy doubled the heap it took.
const DOCUMENT_FIELDS = sql`d.len_title as "lenTitle", d.len_tags as "lenTags", d.len_body as "lenBody",
  d.len_accepted as "lenAccepted", d.len_replies as "lenReplies", d.doc_type as "docType", d.solved`;
const POSTING_COLUMNS = sql`p.term, p.doc_id as "docId", p.title, p.tags, p.body, p.accepted, p.replies`;
const plain = (db: Db): Db =>
  db
    .getExecutor()
    .plugins.filter((plugin) => !(plugin instanceof CamelCasePlugin))
    .reduce((without, plugin) => without.withPlugin(plugin), db.withoutPlugins());

/** The documents indexed since a version (bench/explain.ts prints its plan). */
export function changedDocumentsQuery(communityId: number, since: number) {
  return sql<DocumentRow>`select d.id, ${DOCUMENT_FIELDS} from search_documents d
    where d.community_id = ${communityId} and d.seq > ${since}
    limit ${sql.lit(REFRESH_DOCS_MAX + 1)}`;
}

/** These documents' fields (bench/explain.ts prints its plan). */
export function documentsQuery(db: Db, communityId: number, docIds: number[]) {
  return sql<DocumentRow>`select d.id, ${DOCUMENT_FIELDS} from search_documents d
    where ${idIn(db, sql.raw("d.id"), docIds)} and d.community_id = ${communityId}`;
}

/** Every posting of these documents (bench/explain.ts prints its plan). */
export function documentPostingsQuery(db: Db, docIds: number[]) {
  return sql<PostingRow>`select ${POSTING_COLUMNS} from search_postings p
    where ${idIn(db, sql.raw("p.doc_id"), docIds)}`;
}

/** Catches the copy up with `version`: the documents indexed since, their postings in place of the old. */
async function refresh(db: Db, memory: Memory, copy: Copy, version: number): Promise<void> {
  const changed = await executeNamed(plain(db), changedDocumentsQuery(copy.communityId, copy.version));
  const unexplained = copy.unexplained + Math.max(0, version - copy.version - changed.length);
  if (changed.length > REFRESH_DOCS_MAX || unexplained > UNEXPLAINED_MAX) {
    newCopy(memory, copy.communityId, version);
    return;
  }
  const changedIds = changed.map((row) => Number(row.id));
  const postings: PostingRow[] = [];
  for (const part of chunks(changedIds, TERMS_PER_READ))
    postings.push(...(await executeNamed(plain(db), documentPostingsQuery(db, part))));
  // From here on nothing waits: a query sees the copy before or after, never half-changed.
  changed.forEach((row, n) => {
    place(copy, changedIds[n], row, true);
    forgetCard(copy, changedIds[n]);
  });
  if (changed.length > 0) replacePostings(memory, copy, postings, changedIds);
  copy.df.clear();
  copy.unexplained = unexplained;
  copy.version = version;
}

/**
 * Puts the changed documents' postings (`postings`, read anew) in place of what the copy held for
 * them. Each entry keeps its postings in ascending order (dense index for words, id for title
 * trigrams), so a changed document is looked up by binary search: this runs after every change,
 * and scanning every posting held cost about a millisecond per thousand words held (README,
 * "Catching up after a change").
 */
function replacePostings(memory: Memory, copy: Copy, postings: PostingRow[], changedIds: number[]): void {
  const added = new Map<string, Map<number, PostingRow>>();
  for (const row of postings) {
    const rows = added.get(row.term) ?? new Map<number, PostingRow>();
    rows.set(Number(row.docId), row);
    added.set(row.term, rows);
  }
  const ascending = (values: number[]) => Int32Array.from(values).sort();
  const ids = ascending(changedIds);
  const ats = ascending(changedIds.map((id) => copy.index.get(id)!));
  const replaced: Entry[] = [];
  for (const entry of memory.terms.values()) {
    if (entry.copy !== copy) continue;
    const rows = added.get(entry.term);
    if ("tf" in entry) {
      const merged = mergeChanged(entry.docs, ats, rows, copy.ids);
      if (!merged) continue;
      const width = FIELDS.length;
      const docs = new Int32Array(merged.length);
      const tf = new Uint16Array(merged.length * width);
      let n = 0;
      for (const piece of merged.pieces)
        if ("from" in piece) {
          docs.set(entry.docs.subarray(piece.from, piece.to), n);
          tf.set(entry.tf.subarray(piece.from * width, piece.to * width), n * width);
          n += piece.to - piece.from;
        } else setPosting(docs, tf, n++, copy.index.get(Number(piece.docId))!, piece);
      replaced.push({ ...entry, docs, tf });
    } else {
      const merged = mergeChanged(entry.docIds, ids, rows, null);
      if (!merged) continue;
      const docIds = new Int32Array(merged.length);
      let n = 0;
      for (const piece of merged.pieces)
        if ("from" in piece) {
          docIds.set(entry.docIds.subarray(piece.from, piece.to), n);
          n += piece.to - piece.from;
        } else docIds[n++] = Number(piece.docId);
      replaced.push({ ...entry, docIds });
    }
  }
  for (const entry of replaced) remember(memory, entry);
}

/** Postings held at positions [from, to) of an entry, kept as they are. */
interface Run {
  from: number;
  to: number;
}

/**
 * An entry's postings with the changed documents' replaced, in ascending order: runs of postings
 * kept and the new postings of changed documents. Null when no changed document was in the entry
 * or is in it now. `held` and `changed` ascend; `rows` are the entry's term's new postings by
 * document id, and `idOf` turns a dense index into an id (null: `held` holds ids). No closures
 * here: this runs for every entry held after every change.
 */
function mergeChanged(
  held: Int32Array,
  changed: Int32Array,
  rows: Map<number, PostingRow> | undefined,
  idOf: number[] | null,
): { pieces: (Run | PostingRow)[]; length: number } | null {
  let pieces: (Run | PostingRow)[] | null = null;
  let length = 0;
  let from = 0;
  for (let c = 0; c < changed.length; c++) {
    const document = changed[c];
    const at = lowerBound(held, document, from);
    const wasHeld = at < held.length && held[at] === document;
    const posting = rows?.get(idOf ? idOf[document] : document);
    if (!wasHeld && !posting) continue;
    pieces ??= [];
    if (at > from) pieces.push({ from, to: at });
    length += at - from;
    from = wasHeld ? at + 1 : at;
    if (posting) {
      pieces.push(posting);
      length++;
    }
  }
  if (!pieces) return null;
  if (held.length > from) pieces.push({ from, to: held.length });
  length += held.length - from;
  return { pieces, length };
}

/** The first position at or after `from` in ascending `values` whose value is not below `value`. */
function lowerBound(values: Int32Array, value: number, from: number): number {
  let low = from;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A document's dense index in the copy; its lengths, type and flag are set when new or `update`. */
function place(copy: Copy, docId: number, row: DocumentFields, update: boolean): number {
  let at = copy.index.get(docId);
  if (at !== undefined && !update) return at;
  if (at === undefined) {
    at = copy.ids.length;
    copy.index.set(docId, at);
    copy.ids.push(docId);
  }
  LENGTHS.forEach((column, f) => {
    copy.lens[f][at] = Number(row[column]);
  });
  copy.article[at] = row.docType === "article";
  copy.solved[at] = Number(row.solved);
  return at;
}

function setPosting(docs: Int32Array, tf: Uint16Array, n: number, at: number, row: PostingRow): void {
  docs[n] = at;
  FIELDS.forEach((field, f) => {
    // A field holds at most a few thousand words (replies are cut at 200,000 characters).
    tf[n * FIELDS.length + f] = Math.min(65_535, Number(row[field]));
  });
}

// Every search and similar-question query starts here: compiled once (db/prepared.ts).
const statisticsOf = preparedFirst((db, v: { communityId: number }) =>
  db.selectFrom("searchStats").selectAll().where("communityId", "=", v.communityId),
);

/**
 * Documents, average field lengths and the document frequency of each of these terms, in one
 * community, at the current version of its index: one query for the totals and, for terms not
 * looked up since the last change, one for their frequencies.
 */
export async function corpusStats(db: Db, communityId: number, terms: string[]): Promise<CorpusStats> {
  const totals = await statisticsOf(db, { communityId });
  const docs = Math.max(0, Number(totals?.docs ?? 0));
  const version = Number(totals?.version ?? 0);
  const avg = (sum: unknown): number => (docs > 0 ? Math.max(1, Number(sum) / docs) : 1);
  const average: FieldWeights = {
    title: avg(totals?.lenTitle),
    tags: avg(totals?.lenTags),
    body: avg(totals?.lenBody),
    accepted: avg(totals?.lenAccepted),
    replies: avg(totals?.lenReplies),
  };
  const known = (await currentCopy(db, communityId, version)).df;
  if (known.size > DF_TERMS_MAX) known.clear();
  const missing = [...new Set(terms)].filter((t) => !known.has(t));
  for (const part of chunks(missing, TERMS_PER_READ)) {
    const rows = await executeNamed(db, termStatisticsQuery(db, communityId, part));
    for (const term of part) known.set(term, 0);
    for (const row of rows) known.set(row.term, Math.min(docs, Math.max(0, Number(row.df))));
  }
  const df = new Map<string, number>();
  for (const term of terms) if (known.get(term)! > 0) df.set(term, known.get(term)!);
  return { docs, avg: average, df, version };
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** The document frequencies of these terms (bench/explain.ts prints its plan). */
export function termStatisticsQuery(db: Db, communityId: number, terms: string[]) {
  return sql<{ term: string; df: number }>`select term, df from search_terms
    where community_id = ${communityId} and ${textIn(db, sql.raw("term"), terms)}`;
}

/** The statement that reads words' postings (bench/explain.ts prints its plan). */
export function postingsQuery(db: Db, communityId: number, terms: string[]) {
  return sql<PostingRow>`select ${POSTING_COLUMNS} from search_postings p
    where p.community_id = ${communityId} and ${textIn(db, sql.raw("p.term"), terms)}`;
}

/** The statement that reads title trigrams' postings (bench/explain.ts prints its plan). */
export function gramPostingsQuery(db: Db, communityId: number, grams: string[]) {
  return sql<PostingRow>`select p.term, p.doc_id as "docId" from search_postings p
    where p.community_id = ${communityId} and ${textIn(db, sql.raw("p.term"), grams)}`;
}

/**
 * The entries of these terms in the copy, from memory or read once: a term another query is
 * reading is waited for, not read again (under load, the first queries after a start or a new
 * copy all miss together, and each reading a common word's thousands of postings made that
 * stampede last seconds). What a read brings is kept only if the copy did not change meanwhile
 * (it might miss a change the copy already took in); the query uses it either way.
 */
async function entriesOf<E extends Entry>(
  db: Db,
  copy: Copy,
  terms: string[],
  read: (part: string[]) => Promise<E[]>,
): Promise<Map<string, E>> {
  const memory = memoryOf(db);
  const found = new Map<string, E>();
  const waits = new Map<Promise<Map<string, Entry>>, string[]>();
  const missing: string[] = [];
  for (const term of new Set(terms)) {
    const entry = recall(memory, copy, term) as E | undefined;
    const pending = memory.reading.get(keyOf(copy.communityId, term));
    if (entry) found.set(term, entry);
    else if (pending?.copy === copy) waits.set(pending.entries, [...(waits.get(pending.entries) ?? []), term]);
    else missing.push(term);
  }
  const version = copy.version;
  let previous: Promise<unknown> = Promise.resolve();
  for (const part of chunks(missing, TERMS_PER_READ)) {
    const entries = previous.then(async () => {
      const byTerm = new Map<string, Entry>();
      for (const entry of await read(part)) {
        byTerm.set(entry.term, entry);
        if (copy.version === version && memory.copies.get(copy.communityId) === copy) remember(memory, entry);
      }
      return byTerm;
    });
    previous = entries;
    waits.set(entries, part);
    for (const term of part) memory.reading.set(keyOf(copy.communityId, term), { copy, entries });
  }
  try {
    // All at once: a failed read rejects every later one, and each must have a handler.
    const reads = await Promise.all(waits.keys());
    [...waits.values()].forEach((wanted, n) => {
      for (const term of wanted) if (reads[n].has(term)) found.set(term, reads[n].get(term) as E);
    });
  } finally {
    for (const [entries, wanted] of waits)
      for (const term of wanted) {
        const key = keyOf(copy.communityId, term);
        if (memory.reading.get(key)?.entries === entries) memory.reading.delete(key);
      }
  }
  return found;
}

/**
 * The postings of these words in the copy. The fields of documents the copy has not placed yet
 * are read apart: most postings point to documents an earlier read placed, and joining their
 * fields into every posting row doubled what PostgreSQL sent and the driver parsed.
 */
export function wordPostings(db: Db, copy: Copy, words: string[]): Promise<Map<string, TermPostings>> {
  return entriesOf(db, copy, words, async (part) => {
    const rows = await executeNamed(plain(db), postingsQuery(db, copy.communityId, part));
    const unplaced = [...new Set(rows.map((row) => Number(row.docId)).filter((id) => !copy.index.has(id)))];
    if (unplaced.length > 0)
      for (const doc of await executeNamed(plain(db), documentsQuery(db, copy.communityId, unplaced)))
        place(copy, Number(doc.id), doc, false);
    const byTerm = new Map<string, PostingRow[]>(part.map((t) => [t, []]));
    // A document deleted between the two reads has no fields: its postings are left out.
    for (const row of rows) if (copy.index.has(Number(row.docId))) byTerm.get(row.term)?.push(row);
    return [...byTerm].map(([term, found]) => {
      // In ascending dense index, as replacePostings expects; rows come in id order, which
      // documents placed one read at a time mostly follow.
      const ats = new Int32Array(found.length);
      let ascending = true;
      for (let n = 0; n < found.length; n++) {
        ats[n] = copy.index.get(Number(found[n].docId))!;
        if (n > 0 && ats[n] < ats[n - 1]) ascending = false;
      }
      const order = Array.from(found.keys());
      if (!ascending) order.sort((a, b) => ats[a] - ats[b]);
      const docs = new Int32Array(found.length);
      const tf = new Uint16Array(found.length * FIELDS.length);
      for (let n = 0; n < order.length; n++) setPosting(docs, tf, n, ats[order[n]], found[order[n]]);
      return { copy, term, docs, tf };
    });
  });
}

/** The documents holding each of these title trigrams, in the copy. */
export function gramPostings(db: Db, copy: Copy, grams: string[]): Promise<Map<string, GramPostings>> {
  return entriesOf(db, copy, grams, async (part) => {
    const rows = await executeNamed(plain(db), gramPostingsQuery(db, copy.communityId, part));
    const byTerm = new Map<string, number[]>(part.map((t) => [t, []]));
    for (const row of rows) byTerm.get(row.term)?.push(Number(row.docId));
    // In ascending id, as replacePostings expects.
    return [...byTerm].map(([term, ids]) => ({ copy, term, docIds: Int32Array.from(ids).sort() }));
  });
}
