import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import {
  BM25_WEIGHTS,
  boostFactor,
  filterConditions,
  hitColumns,
  hitJoins,
  INDEXED_REPLIES_MAX,
  notDuplicate,
  tier,
  visibleTo,
  type CandidateRow,
  type HitRow,
  type IndexedDocument,
  type SearchBackend,
} from "./search.backend.ts";
import { lightStem, removeDiacritics, trigramSimilarity, words, type SearchLocale } from "./search.text.ts";

/**
 * SQLite: FTS5. English communities use the porter tokenizer; German, French and Italian ones a
 * plain unicode61 table (diacritics removed) searched by light stems as prefixes, because FTS5's
 * only stemmer is English and better-sqlite3 cannot register a tokenizer written in JavaScript.
 * Titles also go to a trigram table for similar questions.
 */
const TABLES = { porter: "search_fts_porter", plain: "search_fts_plain" } as const;

function tableFor(locale: SearchLocale): (typeof TABLES)[keyof typeof TABLES] {
  return locale === "en" ? TABLES.porter : TABLES.plain;
}

/** One FTS5 string per word, quoted; a word holds only letters and digits, quotes are doubled anyway. */
function quote(word: string): string {
  return `"${word.replace(/"/g, '""')}"`;
}

/** English words go to the porter tokenizer as they are; other languages search their light stem as a prefix. */
function termExpression(term: string, locale: SearchLocale): string {
  if (locale === "en") return quote(term);
  const stem = lightStem(term, locale);
  return stem.length >= 3 ? `${quote(stem)}*` : quote(removeDiacritics(term));
}

export function matchExpression(
  terms: string[],
  locale: SearchLocale,
  mode: "all" | "any",
  columns?: string[],
): string {
  const expression = terms.map((term) => termExpression(term, locale)).join(mode === "all" ? " AND " : " OR ");
  return columns ? `{${columns.join(" ")}} : (${expression})` : expression;
}

/** Trigram phrases of the query title for the trigram table (only words of three characters or more have any). */
function trigramExpression(title: string): string | null {
  const grams = new Set<string>();
  for (const word of words(removeDiacritics(title))) {
    for (let i = 0; i + 3 <= word.length && grams.size < 64; i++) grams.add(word.slice(i, i + 3));
  }
  return grams.size ? [...grams].map(quote).join(" OR ") : null;
}

const weights = (w: { title: number; tags: number; body: number; accepted: number; replies: number }) =>
  sql.raw([w.title, w.tags, w.body, w.accepted, w.replies].map((n) => n.toFixed(1)).join(", "));

async function inTransaction(db: Db, fn: (trx: Db) => Promise<void>): Promise<void> {
  if (db.isTransaction) return fn(db);
  await db.transaction().execute(fn);
}

export const sqliteBackend: SearchBackend = {
  async upsert(db, doc: IndexedDocument, now) {
    await inTransaction(db, async (trx) => {
      const key = doc.docType === "topic" ? ("topicId" as const) : ("articleId" as const);
      const keyValue = doc.docType === "topic" ? doc.topicId : doc.articleId;
      const values = {
        communityId: doc.communityId,
        docType: doc.docType,
        topicId: doc.topicId,
        articleId: doc.articleId,
        locale: doc.locale,
        title: doc.title,
        indexedAt: now,
      };
      const existing = await trx
        .selectFrom("searchDocuments")
        .select("id")
        .where(key, "=", keyValue)
        .executeTakeFirst();
      let id: number;
      if (existing) {
        id = existing.id;
        await trx.updateTable("searchDocuments").set(values).where("id", "=", id).execute();
        for (const table of [TABLES.porter, TABLES.plain, "search_trigram"])
          await sql`delete from ${sql.raw(table)} where rowid = ${id}`.execute(trx);
      } else {
        id = (await trx.insertInto("searchDocuments").values(values).returning("id").executeTakeFirstOrThrow()).id;
      }
      await sql`insert into ${sql.raw(tableFor(doc.locale))} (rowid, title, tags, body, accepted, replies)
        values (${id}, ${doc.title}, ${doc.tags}, ${doc.body}, ${doc.accepted}, ${doc.replies.slice(0, INDEXED_REPLIES_MAX)})`.execute(
        trx,
      );
      await sql`insert into search_trigram (rowid, title) values (${id}, ${doc.title})`.execute(trx);
    });
  },

  async search(db, request) {
    const table = sql.raw(tableFor(request.locale));
    const snippet = (column: number) => sql`snippet(${table}, ${sql.lit(column)}, char(2), char(3), '…', 24)`;
    const result = await sql<HitRow>`select ${hitColumns},
        ${snippet(2)} as snip_body, ${snippet(3)} as snip_accepted, ${snippet(4)} as snip_replies,
        -bm25(${table}, ${weights(BM25_WEIGHTS)}) * ${boostFactor} as score
      from ${table} join search_documents d on d.id = ${table}.rowid
      ${hitJoins}
      where ${table} match ${matchExpression(request.terms, request.locale, request.mode)}
        and d.community_id = ${request.communityId}
        ${visibleTo(request.audience)}
        ${filterConditions(request.filters)}
      order by ${tier}, score desc, d.id desc
      limit ${request.limit} offset ${request.offset}`.execute(db);
    return result.rows;
  },

  async similarCandidates(db, request) {
    const table = sql.raw(tableFor(request.locale));
    const lexicalWeights = weights({ ...BM25_WEIGHTS, accepted: 0, replies: 0 });
    const lexical = request.terms.length
      ? (
          await sql<CandidateRow>`select ${hitColumns}, d.title as doc_title, -bm25(${table}, ${lexicalWeights}) as lexical
            from ${table} join search_documents d on d.id = ${table}.rowid
            ${hitJoins}
            where ${table} match ${matchExpression(request.terms, request.locale, "any", ["title", "tags", "body"])}
              and d.community_id = ${request.communityId} ${notDuplicate} ${visibleTo(request.audience)}
            order by lexical desc limit ${request.pool}`.execute(db)
        ).rows
      : [];
    const grams = trigramExpression(request.title);
    const byTitle = grams
      ? (
          await sql<CandidateRow>`select ${hitColumns}, d.title as doc_title, 0 as lexical
            from search_trigram g join search_documents d on d.id = g.rowid
            ${hitJoins}
            where search_trigram match ${grams} and d.community_id = ${request.communityId} ${notDuplicate} ${visibleTo(request.audience)}
            order by bm25(search_trigram) limit ${request.pool}`.execute(db)
        ).rows
      : [];
    const merged = new Map<number, CandidateRow>();
    for (const row of [...lexical, ...byTitle]) if (!merged.has(row.docId)) merged.set(row.docId, row);
    return [...merged.values()].map((row) => ({ ...row, trigram: trigramSimilarity(row.docTitle, request.title) }));
  },
};
