import { sql } from "kysely";
import { dialectOf } from "../dialect.js";
/**
 * Search ranking computed the same way on both engines (issue #17): the indexer keeps its own
 * inverted index and term statistics in plain tables, so BM25 sees the same terms, document
 * frequencies and lengths on SQLite and PostgreSQL.
 *
 * - search_postings: one row per (community, term, document) with the term's frequency in each
 *   field (title, tags, body, accepted answer, other replies). Title trigrams are stored as terms
 *   too ("~" + trigram, a character the tokenizer never emits), for similar-title candidates.
 * - search_terms: document frequency per community and term.
 * - search_stats: documents and summed field lengths per community (for average lengths).
 * - search_vectors: optional question vectors of an embedding model (search/semantic.ts).
 * - search_documents, made anew, holds field lengths and the solved flag; search_texts the texts
 *   snippets are cut from.
 *
 * FTS5 tables (SQLite) and the tsvector with its GIN indexes (PostgreSQL) go: nothing reads them.
 * The index starts empty; ensureIndexed rebuilds it at start-up.
 */
export async function up(db) {
    const postgres = dialectOf(db) === "postgres";
    // The documents table is made anew (its rows were only a cache of the topics), narrow: scoring
    // reads it for every posting; the long texts go to search_texts.
    if (postgres) {
        await sql `drop table search_documents`.execute(db);
    }
    else {
        await sql `drop trigger if exists search_documents_delete`.execute(db);
        for (const table of ["search_fts_porter", "search_fts_plain", "search_trigram", "search_documents"])
            await sql `drop table if exists ${sql.raw(table)}`.execute(db);
    }
    await (postgres
        ? db.schema.createTable("search_documents").addColumn("id", "serial", (c) => c.primaryKey())
        : db.schema.createTable("search_documents").addColumn("id", "integer", (c) => c.primaryKey().autoIncrement()))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("doc_type", "text", (c) => c.notNull())
        .addColumn("topic_id", "integer", (c) => c.unique().references("topics.id").onDelete("cascade"))
        .addColumn("article_id", "integer", (c) => c.unique().references("articles.id").onDelete("cascade"))
        .addColumn("solved", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("len_title", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("len_tags", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("len_body", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("len_accepted", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("len_replies", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("indexed_at", "bigint", (c) => c.notNull())
        .addColumn("locale", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .execute();
    await db.schema.createIndex("search_documents_community").on("search_documents").column("community_id").execute();
    // The texts snippets are cut from, apart: scoring reads a narrow documents table.
    await db.schema
        .createTable("search_texts")
        .addColumn("doc_id", "integer", (c) => c.primaryKey().references("search_documents.id").onDelete("cascade"))
        .addColumn("body_text", "text", (c) => c.notNull())
        .addColumn("accepted_text", "text", (c) => c.notNull())
        .addColumn("replies_text", "text", (c) => c.notNull())
        .execute();
    const withoutRowid = postgres ? sql `` : sql `without rowid`;
    await db.schema
        .createTable("search_postings")
        .addColumn("community_id", "integer", (c) => c.notNull())
        .addColumn("term", "text", (c) => c.notNull())
        .addColumn("doc_id", "integer", (c) => c.notNull())
        .addColumn("title", "integer", (c) => c.notNull())
        .addColumn("tags", "integer", (c) => c.notNull())
        .addColumn("body", "integer", (c) => c.notNull())
        .addColumn("accepted", "integer", (c) => c.notNull())
        .addColumn("replies", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("search_postings_pk", ["community_id", "term", "doc_id"])
        .modifyEnd(withoutRowid)
        .execute();
    await db.schema.createIndex("search_postings_doc").on("search_postings").column("doc_id").execute();
    await db.schema
        .createTable("search_terms")
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("term", "text", (c) => c.notNull())
        .addColumn("df", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("search_terms_pk", ["community_id", "term"])
        .modifyEnd(withoutRowid)
        .execute();
    await db.schema
        .createTable("search_stats")
        .addColumn("community_id", "integer", (c) => c.primaryKey().references("communities.id").onDelete("cascade"))
        .addColumn("docs", "integer", (c) => c.notNull())
        .addColumn("len_title", "bigint", (c) => c.notNull())
        .addColumn("len_tags", "bigint", (c) => c.notNull())
        .addColumn("len_body", "bigint", (c) => c.notNull())
        .addColumn("len_accepted", "bigint", (c) => c.notNull())
        .addColumn("len_replies", "bigint", (c) => c.notNull())
        .execute();
    // Optional question vectors of an embedding model (src/search/semantic.ts).
    await db.schema
        .createTable("search_vectors")
        .addColumn("doc_id", "integer", (c) => c.primaryKey().references("search_documents.id").onDelete("cascade"))
        .addColumn("community_id", "integer", (c) => c.notNull())
        .addColumn("model", "text", (c) => c.notNull())
        .addColumn("vector", postgres ? sql `bytea` : "blob", (c) => c.notNull())
        .execute();
    await db.schema
        .createIndex("search_vectors_community")
        .on("search_vectors")
        .columns(["community_id", "model"])
        .execute();
    // Whatever removes a document (re-indexing, a deleted topic or article, by cascade or not)
    // takes its postings along and keeps the statistics exact.
    if (postgres) {
        await sql `create or replace function search_documents_forget() returns trigger language plpgsql as $$
      begin
        update search_terms t set df = t.df - 1 from search_postings p
          where p.doc_id = old.id and t.community_id = old.community_id and t.term = p.term;
        delete from search_postings where doc_id = old.id;
        update search_stats set docs = docs - 1, len_title = len_title - old.len_title, len_tags = len_tags - old.len_tags,
          len_body = len_body - old.len_body, len_accepted = len_accepted - old.len_accepted, len_replies = len_replies - old.len_replies
          where community_id = old.community_id;
        return old;
      end $$`.execute(db);
        await sql `create trigger search_documents_forget before delete on search_documents
      for each row execute function search_documents_forget()`.execute(db);
    }
    else {
        await sql `create trigger search_documents_forget before delete on search_documents begin
      update search_terms set df = df - 1
        where community_id = old.community_id and term in (select term from search_postings where doc_id = old.id);
      delete from search_postings where doc_id = old.id;
      update search_stats set docs = docs - 1, len_title = len_title - old.len_title, len_tags = len_tags - old.len_tags,
        len_body = len_body - old.len_body, len_accepted = len_accepted - old.len_accepted, len_replies = len_replies - old.len_replies
        where community_id = old.community_id;
    end`.execute(db);
    }
}
export async function down() {
    throw new Error("Not reversible.");
}
