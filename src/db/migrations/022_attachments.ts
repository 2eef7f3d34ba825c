import type { Kysely } from "kysely";
import { dialectOf } from "../dialect.ts";

/**
 * The editor (issue #16): images members attach to posts. The file lives in the upload storage
 * under `key`; the row says whose it is and where it was uploaded, so a member's uploads of the
 * last day can be counted against their allowance (one index probe by owner, community and time).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const table = db.schema.createTable("attachments");
  await (dialectOf(db) === "postgres"
    ? table.addColumn("id", "serial", (c) => c.primaryKey())
    : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
  )
    .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("owner_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("width", "integer", (c) => c.notNull())
    .addColumn("height", "integer", (c) => c.notNull())
    .addColumn("bytes", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("attachments_owner_idx")
    .on("attachments")
    .columns(["owner_id", "community_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("attachments").execute();
}
