import { sql, type Kysely } from "kysely";

/**
 * Two facts a topic's row keeps so that lists read them without a query per row (topics.status.ts,
 * topics.activity.ts):
 * - `answer_count`: its visible replies that answer it (answersTopic): not the asker's own follow-up,
 *   nor a merged topic's question (migration 032), a second asking. A topic is "answered" by these
 *   only, not by `reply_count`.
 *   Filled in here from the replies as they are.
 * - `last_event_at`: when something that is no post last made it active (a solution accepted or
 *   withdrawn, a topic merged into it), so hiding its latest post does not take its last activity
 *   back past that. Null where nothing is known: topics before this migration roll back to their
 *   latest visible post, as before, until their next acceptance or merge.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("topics")
    .addColumn("answer_count", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("topics").addColumn("last_event_at", "bigint").execute();
  await sql`update topics set answer_count = (select count(*) from replies r
      where r.topic_id = topics.id and r.author_id <> topics.author_id and r.moderation_state = 'visible'
        and r.merged_from_topic_id is null)
    where reply_count > 0`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("topics").dropColumn("last_event_at").execute();
  await db.schema.alterTable("topics").dropColumn("answer_count").execute();
}
