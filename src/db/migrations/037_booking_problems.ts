import { sql, type Kysely } from "kysely";
import { withId } from "./008_academy.ts";

/**
 * Problems reported with a booking (a no-show, work not done, a payment dispute) and how staff
 * resolved them; at most one open report per booking. A payment voided by an upheld report keeps
 * its row (for the record) with `voided_at`, and leaves the payout statements.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db)(db.schema.createTable("booking_problems"))
    .addColumn("booking_id", "integer", (c) => c.notNull().references("bookings.id").onDelete("cascade"))
    .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("reporter_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("details", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("outcome", "text")
    .addColumn("note", "text")
    .addColumn("resolved_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("resolved_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("booking_problems_open")
    .on("booking_problems")
    .column("booking_id")
    .unique()
    .where(sql.ref("status"), "=", "open")
    .execute();
  await db.schema
    .createIndex("booking_problems_queue")
    .on("booking_problems")
    .columns(["community_id", "status", "created_at"])
    .execute();
  await db.schema.alterTable("payments").addColumn("voided_at", "bigint").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("payments").dropColumn("voided_at").execute();
  await db.schema.dropTable("booking_problems").execute();
}
