import type { Kysely } from "kysely";

/**
 * Insights (issue #13): rewards get a money value for the ROI; deflection events a key that keeps
 * a visit's report once per query; categories their measured first-response time; bookings and memberships get the
 * time indexes the dashboard's range queries read.
 */
export async function up(db: Kysely<any>): Promise<void> {
  /** What one redemption of the reward costs the company, in cents of the insights currency. */
  await db.schema
    .alterTable("rewards")
    .addColumn("value_cents", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  /** A client-reported event is kept once per visit, query, type and target. */
  await db.schema.alterTable("deflection_events").addColumn("dedupe_key", "text").execute();
  await db.schema
    .createIndex("deflection_events_once")
    .unique()
    .on("deflection_events")
    .columns(["community_id", "dedupe_key"])
    .execute();
  /** The median first response of the category's last 30 days, measured daily by the insights job. */
  await db.schema.alterTable("categories").addColumn("measured_response_minutes", "integer").execute();
  await db.schema.alterTable("categories").addColumn("measured_at", "bigint").execute();
  await db.schema.createIndex("bookings_made").on("bookings").columns(["community_id", "created_at"]).execute();
  await db.schema.createIndex("memberships_joined").on("memberships").columns(["community_id", "created_at"]).execute();
  await db.schema
    .createIndex("reward_redemptions_decided")
    .on("reward_redemptions")
    .columns(["community_id", "status", "decided_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("reward_redemptions_decided").execute();
  await db.schema.dropIndex("memberships_joined").execute();
  await db.schema.dropIndex("bookings_made").execute();
  await db.schema.alterTable("rewards").dropColumn("value_cents").execute();
  await db.schema.alterTable("categories").dropColumn("measured_at").execute();
  await db.schema.alterTable("categories").dropColumn("measured_response_minutes").execute();
  await db.schema.dropIndex("deflection_events_once").execute();
  await db.schema.alterTable("deflection_events").dropColumn("dedupe_key").execute();
}
