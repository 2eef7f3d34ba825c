import { sql, type Kysely } from "kysely";
import { dialectOf } from "../dialect.ts";

/**
 * Comments on the question itself (issue #18), like Stack Overflow's comments under a question:
 * a comment belongs to a reply (reply_id) or to a topic (topic_id), exactly one of them.
 *
 * PostgreSQL alters the table in place. SQLite cannot drop a NOT NULL or add a CHECK, so it
 * rebuilds the table (new table, copy, drop, rename) and recreates its indexes: comments_reply
 * (001), comments_created (014). Nothing refers to comments by foreign key and no trigger reads it;
 * moderation_state (006) is carried over with the rows, and the id sequence keeps its place so
 * no id is handed out twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === "postgres") {
    await sql`alter table comments alter column reply_id drop not null`.execute(db);
    await sql`alter table comments add column topic_id integer references topics (id) on delete cascade`.execute(db);
    await sql`alter table comments add constraint comments_one_parent
      check ((reply_id is null) <> (topic_id is null))`.execute(db);
  } else {
    await sql`create table comments_new (
      id integer primary key autoincrement,
      reply_id integer references replies (id) on delete cascade,
      topic_id integer references topics (id) on delete cascade,
      author_id integer not null references users (id),
      body text not null,
      body_html text not null,
      created_at bigint not null,
      moderation_state text not null default 'visible',
      check ((reply_id is null) <> (topic_id is null))
    )`.execute(db);
    await sql`insert into comments_new (id, reply_id, topic_id, author_id, body, body_html, created_at, moderation_state)
      select id, reply_id, null, author_id, body, body_html, created_at, moderation_state from comments`.execute(db);
    const sequence = await sql<{ seq: number }>`select seq from sqlite_sequence where name = 'comments'`.execute(db);
    await sql`drop table comments`.execute(db);
    await sql`alter table comments_new rename to comments`.execute(db);
    const seq = sequence.rows[0]?.seq;
    if (seq != null) {
      await sql`delete from sqlite_sequence where name = 'comments'`.execute(db);
      await sql`insert into sqlite_sequence (name, seq) values ('comments', ${seq})`.execute(db);
    }
    await db.schema.createIndex("comments_reply").on("comments").columns(["reply_id", "created_at"]).execute();
    await db.schema.createIndex("comments_created").on("comments").column("created_at").execute();
  }
  await db.schema.createIndex("comments_topic").on("comments").columns(["topic_id", "created_at"]).execute();
}

export async function down(): Promise<void> {
  throw new Error("Not reversible: comments on topics would have nowhere to go.");
}
