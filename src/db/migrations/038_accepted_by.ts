import type { Kysely } from "kysely";

/**
 * Who accepted a topic's solution (the asker, or staff and moderators, who may accept their own
 * reply to someone else's question): such a self-accepted answer earns no kudos, and no badge
 * either (reputation.badges.ts). Null where it is not known (solutions accepted before this
 * migration, or imported before the importer named the asker), which counts as accepted by someone
 * else, as before. No foreign key, as for accepted_reply_id.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("topics").addColumn("accepted_by", "integer").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("topics").dropColumn("accepted_by").execute();
}
