import { sql, type Kysely } from "kysely";
import { dialectOf } from "../dialect.ts";

/**
 * Accounts and privacy (issue #15): a verified email, an avatar and an erasure mark on users; the
 * device and the last request of each session; and the single-use links sent by email (password
 * reset, email verification, email change), stored by the hash of their secret.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === "postgres";
  await db.schema.alterTable("users").addColumn("email_verified_at", "bigint").execute();
  await db.schema.alterTable("users").addColumn("avatar_key", "text").execute();
  await db.schema.alterTable("users").addColumn("deleted_at", "bigint").execute();
  // Members who signed up before verification existed keep posting where a community requires it.
  await db
    .updateTable("users")
    .set({ email_verified_at: sql.ref("created_at") })
    .execute();

  await db.schema.alterTable("sessions").addColumn("user_agent", "text").execute();
  await db.schema.alterTable("sessions").addColumn("last_seen_at", "bigint").execute();

  const table = db.schema.createTable("account_links");
  await (postgres
    ? table.addColumn("id", "serial", (c) => c.primaryKey())
    : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
  )
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("secret_hash", "text", (c) => c.notNull().unique())
    // The new address of an email change; null for the other purposes.
    .addColumn("email", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("used_at", "bigint")
    .execute();
  await db.schema.createIndex("account_links_user").on("account_links").columns(["user_id", "purpose"]).execute();
}
