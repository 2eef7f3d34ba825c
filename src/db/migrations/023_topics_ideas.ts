import { type Kysely, sql } from "kysely";

/**
 * The ideas of a community (the ideas board, its counts on the Insights page) were read by
 * scanning every topic of the community. Ideas are a few percent of the topics, so a partial
 * index holds only them and leaves the plans of every other topic list alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("topics_ideas")
    .on("topics")
    .columns(["community_id", "created_at"])
    .where(sql.ref("kind"), "=", sql.lit("idea"))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("topics_ideas").execute();
}
