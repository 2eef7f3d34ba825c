import type { Kysely } from "kysely";

/**
 * Single sign-on with OpenID Connect (issue #15, part 7): who logged in through which provider,
 * with the claims of their latest login, and what a community asks of its members' SSO login.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // One row per account at a provider: (provider, subject) is the provider's stable name for a person.
  await db.schema
    .createTable("user_identities")
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("email", "text")
    /** The ID token's and userinfo's claims at the latest login, as JSON: the "must be our customer" check reads them. */
    .addColumn("claims", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_login_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("user_identities_pk", ["provider", "subject"])
    .execute();
  await db.schema.createIndex("user_identities_user").on("user_identities").column("user_id").execute();

  await db.schema
    .createTable("community_sso_requirements")
    .addColumn("community_id", "integer", (c) => c.primaryKey().references("communities.id").onDelete("cascade"))
    /** The provider whose login counts; null: any configured provider. */
    .addColumn("provider", "text")
    .addColumn("to_post", "integer", (c) => c.notNull())
    .addColumn("to_apply", "integer", (c) => c.notNull())
    /** A claim the login must carry (e.g. customer_number), and optionally the value it must have or contain. */
    .addColumn("claim", "text")
    .addColumn("claim_value", "text")
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("community_sso_requirements").execute();
  await db.schema.dropTable("user_identities").execute();
}
