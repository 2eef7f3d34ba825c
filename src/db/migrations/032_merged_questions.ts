import { sql, type Kysely } from "kysely";

/**
 * The reply a merge made of a merged topic's question names that topic, so that it is not counted
 * as an answer (insights, routing statistics, category expectations): it is a second asking. Earlier
 * merges are found by the question they copied: same author, time and body in the topic merged into.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("replies").addColumn("merged_from_topic_id", "integer").execute();
  await sql`update replies set merged_from_topic_id = (select t.id from topics t
      where t.merged_into_id = replies.topic_id and t.author_id = replies.author_id
        and t.created_at = replies.created_at and t.body = replies.body
      order by t.id limit 1)
    where exists (select 1 from topics t where t.merged_into_id = replies.topic_id and t.author_id = replies.author_id
      and t.created_at = replies.created_at and t.body = replies.body)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("replies").dropColumn("merged_from_topic_id").execute();
}
