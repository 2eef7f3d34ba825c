import { sql, type Kysely } from "kysely";
import { dialectOf } from "../dialect.ts";

/**
 * A community's search index version: raised by every change to its postings (the indexer's
 * upsert, and the trigger that forgets a deleted document), so the in-memory copy of postings
 * (src/search/search.memory.ts) knows, from the statistics row it reads anyway, when it is out
 * of date, on every instance; and each document's `seq`, the version its last indexing made, so
 * the copy reads only the documents indexed since.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("search_stats")
    .addColumn("version", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("search_documents")
    .addColumn("seq", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("search_documents_seq").on("search_documents").columns(["community_id", "seq"]).execute();
  if (dialectOf(db) === "postgres") {
    await sql`create or replace function search_documents_forget() returns trigger language plpgsql as $$
      begin
        update search_terms t set df = t.df - 1 from search_postings p
          where p.doc_id = old.id and t.community_id = old.community_id and t.term = p.term;
        delete from search_postings where doc_id = old.id;
        update search_stats set docs = docs - 1, len_title = len_title - old.len_title, len_tags = len_tags - old.len_tags,
          len_body = len_body - old.len_body, len_accepted = len_accepted - old.len_accepted, len_replies = len_replies - old.len_replies,
          version = version + 1
          where community_id = old.community_id;
        return old;
      end $$`.execute(db);
  } else {
    await sql`drop trigger search_documents_forget`.execute(db);
    await sql`create trigger search_documents_forget before delete on search_documents begin
      update search_terms set df = df - 1
        where community_id = old.community_id and term in (select term from search_postings where doc_id = old.id);
      delete from search_postings where doc_id = old.id;
      update search_stats set docs = docs - 1, len_title = len_title - old.len_title, len_tags = len_tags - old.len_tags,
        len_body = len_body - old.len_body, len_accepted = len_accepted - old.len_accepted, len_replies = len_replies - old.len_replies,
        version = version + 1
        where community_id = old.community_id;
    end`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error("Not reversible.");
}
