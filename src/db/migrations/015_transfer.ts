import type { Kysely } from "kysely";

/**
 * Bringing a community in (issue #18): which local row an external record became, so a second
 * import updates instead of duplicating and a crashed one resumes; and where an imported topic
 * came from, for the attribution its licence requires.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // source: "stackexchange:cardano.stackexchange.com"; kind: user, topic, reply, comment.
  await db.schema
    .createTable("external_ids")
    .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("external_id", "text", (c) => c.notNull())
    .addColumn("local_id", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("external_ids_pk", ["community_id", "source", "kind", "external_id"])
    .execute();
  await db.schema.createIndex("external_ids_local").on("external_ids").columns(["kind", "local_id"]).execute();

  await db.schema
    .createTable("topic_sources")
    .addColumn("topic_id", "integer", (c) => c.primaryKey().references("topics.id").onDelete("cascade"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("site", "text", (c) => c.notNull())
    .addColumn("external_id", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("topic_sources").execute();
  await db.schema.dropTable("external_ids").execute();
}
