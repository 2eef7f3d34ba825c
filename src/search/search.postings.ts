import type { Db, Dialect } from "../db/database.ts";
import { textIn } from "../db/id-list.ts";
import { FIELDS, type Field } from "./search.bm25.ts";
import { analyze, trigrams, type SearchLocale } from "./search.text.ts";

/**
 * The search index's own storage, the same tables and queries on both engines (migration 010):
 * postings per (community, term, document) with per-field term frequencies, document frequencies
 * per term and summed lengths per community, all kept by the indexer in the document's
 * transaction. Title trigrams are stored as terms "~abc" (the tokenizer only emits letters and
 * digits, so they never meet a word).
 */
export interface IndexedDocument {
  communityId: number;
  docType: "topic" | "article";
  topicId: number | null;
  articleId: number | null;
  locale: SearchLocale;
  title: string;
  tags: string;
  body: string;
  /** The accepted answer: its own field ("matching the query against accepted answers"). */
  accepted: string;
  replies: string;
  /** Solved topics and articles get the solved boost. */
  solved: boolean;
}

/** Reply text beyond this is not indexed (a huge thread says little more about its question). */
export const INDEXED_REPLIES_MAX = 200_000;
/** Prefix of title-trigram terms. */
export const GRAM = "~";
const INSERT_ROWS = 1_000;

export const gramTerms = (title: string): string[] => [...trigrams(title)].map((g) => GRAM + g);

type Tf = Record<Field, number>;

/** Term frequencies per field, the field lengths (in terms) and the title trigrams of a document. */
function termsOf(doc: IndexedDocument): { terms: Map<string, Tf>; lengths: Tf } {
  const terms = new Map<string, Tf>();
  const lengths = { title: 0, tags: 0, body: 0, accepted: 0, replies: 0 };
  const text: Record<Field, string> = {
    title: doc.title,
    tags: doc.tags,
    body: doc.body,
    accepted: doc.accepted,
    replies: doc.replies.slice(0, INDEXED_REPLIES_MAX),
  };
  for (const field of FIELDS) {
    const tokens = analyze(text[field], doc.locale);
    lengths[field] = tokens.length;
    for (const term of tokens) {
      const tf = terms.get(term) ?? { title: 0, tags: 0, body: 0, accepted: 0, replies: 0 };
      tf[field]++;
      terms.set(term, tf);
    }
  }
  for (const gram of gramTerms(doc.title)) terms.set(gram, { title: 1, tags: 0, body: 0, accepted: 0, replies: 0 });
  return { terms, lengths };
}

/**
 * Drops these terms' document frequencies that fell to zero (or below): a from-scratch index
 * holds no row for a term no document holds. Ranking reads a missing row and a zero alike
 * (search.memory.ts), but the rows would pile up with every edit and removal. Checked in the
 * statement, so a term another indexer just counted again on PostgreSQL is kept.
 */
async function pruneTerms(trx: Db, communityId: number, terms: readonly string[]): Promise<void> {
  if (terms.length === 0) return;
  await trx
    .deleteFrom("searchTerms")
    .where("communityId", "=", communityId)
    .where(textIn(trx, "term", terms))
    .where("df", "<=", 0)
    .execute();
}

/** Runs `work` in the caller's transaction, or in one of its own: the index changes as a whole. */
function withinTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * Takes a document out of the index (a topic's or an article's), if it is there. The delete
 * trigger (migrations 010 and 030) takes its postings along and subtracts what indexing added:
 * document frequencies, field lengths, the document count; the terms no document holds any more
 * go too.
 */
export async function deleteDocument(db: Db, key: "topicId" | "articleId", keyValue: number): Promise<void> {
  const run = async (trx: Db): Promise<void> => {
    const doc = await trx
      .selectFrom("searchDocuments")
      .select(["id", "communityId"])
      .where(key, "=", keyValue)
      .executeTakeFirst();
    if (doc) await deleteDocumentRow(trx, doc);
  };
  return withinTransaction(db, run);
}

async function deleteDocumentRow(trx: Db, doc: { id: number; communityId: number }): Promise<void> {
  const terms = await trx.selectFrom("searchPostings").select("term").where("docId", "=", doc.id).execute();
  await trx.deleteFrom("searchDocuments").where("id", "=", doc.id).execute();
  await pruneTerms(
    trx,
    doc.communityId,
    terms.map((t) => t.term),
  );
}

const LEN_COLUMNS = {
  lenTitle: "title",
  lenTags: "tags",
  lenBody: "body",
  lenAccepted: "accepted",
  lenReplies: "replies",
} as const;

/**
 * Writes (or rewrites) one document and returns its id: its row, its postings, and the changes to document
 * frequencies and community totals. Document frequencies change in one statement, in term
 * order, so concurrent indexers on PostgreSQL lock rows in the same order and cannot deadlock.
 */
export async function upsertDocument(db: Db, dialect: Dialect, doc: IndexedDocument, now: number): Promise<number> {
  const run = async (trx: Db): Promise<number> => {
    const key = doc.docType === "topic" ? ("topicId" as const) : ("articleId" as const);
    const keyValue = (doc.docType === "topic" ? doc.topicId : doc.articleId)!;
    let find = trx
      .selectFrom("searchDocuments")
      .select(["id", "communityId", ...(Object.keys(LEN_COLUMNS) as (keyof typeof LEN_COLUMNS)[])])
      .where(key, "=", keyValue);
    if (dialect === "postgres") find = find.forUpdate();
    let existing = await find.executeTakeFirst();
    if (existing && existing.communityId !== doc.communityId) {
      await deleteDocumentRow(trx, existing);
      existing = undefined;
    }
    const { terms, lengths } = termsOf(doc);
    const values = {
      communityId: doc.communityId,
      docType: doc.docType,
      topicId: doc.topicId,
      articleId: doc.articleId,
      locale: doc.locale,
      title: doc.title,
      solved: doc.solved ? 1 : 0,
      lenTitle: lengths.title,
      lenTags: lengths.tags,
      lenBody: lengths.body,
      lenAccepted: lengths.accepted,
      lenReplies: lengths.replies,
      indexedAt: now,
    };
    const delta = new Map<string, number>();
    let id: number;
    let docs = 1;
    const lengthDelta = { ...lengths };
    if (existing) {
      id = existing.id;
      docs = 0;
      for (const [column, field] of Object.entries(LEN_COLUMNS))
        lengthDelta[field] -= Number(existing[column as keyof typeof LEN_COLUMNS]);
      const old = await trx.selectFrom("searchPostings").select("term").where("docId", "=", id).execute();
      for (const { term } of old) if (!terms.has(term)) delta.set(term, -1);
      await trx.deleteFrom("searchPostings").where("docId", "=", id).execute();
      await trx.updateTable("searchDocuments").set(values).where("id", "=", id).execute();
      const oldTerms = new Set(old.map((o) => o.term));
      for (const term of terms.keys()) if (!oldTerms.has(term)) delta.set(term, 1);
    } else {
      id = (await trx.insertInto("searchDocuments").values(values).returning("id").executeTakeFirstOrThrow()).id;
      for (const term of terms.keys()) delta.set(term, 1);
    }
    const texts = {
      bodyText: doc.body,
      acceptedText: doc.accepted,
      repliesText: doc.replies.slice(0, INDEXED_REPLIES_MAX),
    };
    await trx
      .insertInto("searchTexts")
      .values({ docId: id, ...texts })
      .onConflict((oc) => oc.column("docId").doUpdateSet(texts))
      .execute();
    const postings = [...terms].map(([term, tf]) => ({ communityId: doc.communityId, term, docId: id, ...tf }));
    for (let i = 0; i < postings.length; i += INSERT_ROWS)
      await trx
        .insertInto("searchPostings")
        .values(postings.slice(i, i + INSERT_ROWS))
        .execute();
    const changes = [...delta].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (let i = 0; i < changes.length; i += INSERT_ROWS)
      await trx
        .insertInto("searchTerms")
        .values(changes.slice(i, i + INSERT_ROWS).map(([term, df]) => ({ communityId: doc.communityId, term, df })))
        .onConflict((oc) =>
          oc
            .columns(["communityId", "term"])
            .doUpdateSet((eb) => ({ df: eb("searchTerms.df", "+", eb.ref("excluded.df")) })),
        )
        .execute();
    await pruneTerms(
      trx,
      doc.communityId,
      changes.filter(([, df]) => df < 0).map(([term]) => term),
    );
    const totals = {
      docs,
      lenTitle: lengthDelta.title,
      lenTags: lengthDelta.tags,
      lenBody: lengthDelta.body,
      lenAccepted: lengthDelta.accepted,
      lenReplies: lengthDelta.replies,
    };
    const stats = await trx
      .insertInto("searchStats")
      // A new statistics row starts at the clock: a community made anew never meets a copy of
      // its predecessor's index at the same version (search.memory.ts).
      .values({ communityId: doc.communityId, ...totals, version: now })
      .onConflict((oc) =>
        oc.column("communityId").doUpdateSet((eb) => ({
          version: eb("searchStats.version", "+", 1),
          docs: eb("searchStats.docs", "+", eb.ref("excluded.docs")),
          lenTitle: eb("searchStats.lenTitle", "+", eb.ref("excluded.lenTitle")),
          lenTags: eb("searchStats.lenTags", "+", eb.ref("excluded.lenTags")),
          lenBody: eb("searchStats.lenBody", "+", eb.ref("excluded.lenBody")),
          lenAccepted: eb("searchStats.lenAccepted", "+", eb.ref("excluded.lenAccepted")),
          lenReplies: eb("searchStats.lenReplies", "+", eb.ref("excluded.lenReplies")),
        })),
      )
      .returning("version")
      .executeTakeFirstOrThrow();
    await trx.updateTable("searchDocuments").set({ seq: stats.version }).where("id", "=", id).execute();
    return id;
  };
  return withinTransaction(db, run);
}
