import { sql, type Kysely } from "kysely";

/**
 * The reply or comment a notification is about, so that it (and its excerpt) goes away once that
 * post is hidden or deleted, in the list, the bell and digests, as it does when its topic is.
 * Earlier notifications name their post in their event key ("reply:12", "accepted:12", "comment:7").
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("notifications").addColumn("post_type", "text").execute();
  await db.schema.alterTable("notifications").addColumn("post_id", "integer").execute();
  for (const [prefix, type] of [
    ["reply:", "reply"],
    ["accepted:", "reply"],
    ["comment:", "comment"],
  ] as const) {
    await sql`update notifications set post_type = ${type},
      post_id = cast(substr(event_key, ${prefix.length + 1}) as integer)
      where event_key like ${`${prefix}%`}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("notifications").dropColumn("post_id").execute();
  await db.schema.alterTable("notifications").dropColumn("post_type").execute();
}
