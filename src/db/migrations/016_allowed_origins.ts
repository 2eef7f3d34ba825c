import type { Kysely } from "kysely";

/**
 * The widget (issue #18): each community lists the web origins ("https://help.example.com") whose
 * pages may call its public search and deflection endpoints from the browser (CORS). A lookup is
 * one primary-key probe by community and exact origin.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("allowed_origins")
    .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("origin", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("allowed_origins_pk", ["community_id", "origin"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("allowed_origins").execute();
}
