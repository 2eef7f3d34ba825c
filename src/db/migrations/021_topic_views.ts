import type { Kysely } from "kysely";

/**
 * Topic lists show how often each topic was read (issue #16). The counts live in their own table,
 * not in a column of topics: a flush of counted views then writes no table a cached page shows,
 * so it leaves the anonymous page cache alone (src/app/page-cache.ts lists it as not shown), and
 * the counts simply lag on cached pages. One row per topic ever viewed; a flush adds to it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("topic_views")
    .addColumn("topic_id", "integer", (c) => c.primaryKey().references("topics.id").onDelete("cascade"))
    .addColumn("view_count", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("topic_views").execute();
}
