import type { Kysely } from "kysely";

/**
 * Trust (issue #19): personal API tokens get a scope and an optional expiry; a moderator can
 * redact a revision of the edit history (its text is erased, who and when are kept); a member
 * removed and banned from a community cannot join it again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  /** Tokens made before scopes existed could do everything their owner can: they keep "admin". */
  await db.schema
    .alterTable("api_tokens")
    .addColumn("scope", "text", (c) => c.notNull().defaultTo("admin"))
    .execute();
  await db.schema.alterTable("api_tokens").addColumn("expires_at", "bigint").execute();

  await db.schema.alterTable("revisions").addColumn("redacted_at", "bigint").execute();
  await db.schema
    .alterTable("revisions")
    .addColumn("redacted_by", "integer", (c) => c.references("users.id"))
    .execute();

  await db.schema
    .createTable("community_bans")
    .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("banned_by", "integer", (c) => c.references("users.id"))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("community_bans_pk", ["community_id", "user_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("community_bans").execute();
  await db.schema.alterTable("revisions").dropColumn("redacted_by").execute();
  await db.schema.alterTable("revisions").dropColumn("redacted_at").execute();
  await db.schema.alterTable("api_tokens").dropColumn("expires_at").execute();
  await db.schema.alterTable("api_tokens").dropColumn("scope").execute();
}
