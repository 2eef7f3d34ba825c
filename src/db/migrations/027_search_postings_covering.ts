import { sql, type Kysely } from "kysely";
import { dialectOf } from "../dialect.ts";

/**
 * Ranking reads a term's postings with their per-field term frequencies (issue #12, speed). On
 * PostgreSQL the primary key now carries those frequencies (INCLUDE), so the postings of a term
 * are an index-only scan instead of one heap fetch per posting ("work" in the bench corpus: 8,296
 * postings, 73 ms of heap fetches -> 3 ms). SQLite's postings table is WITHOUT ROWID: its rows
 * already live in the primary key.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== "postgres") return;
  await sql`alter table search_postings drop constraint search_postings_pk,
    add constraint search_postings_pk primary key (community_id, term, doc_id)
    include (title, tags, body, accepted, replies)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== "postgres") return;
  await sql`alter table search_postings drop constraint search_postings_pk,
    add constraint search_postings_pk primary key (community_id, term, doc_id)`.execute(db);
}
