import type { CreateTableBuilder, Kysely } from "kysely";
import { dialectOf } from "../dialect.ts";

/**
 * The company in the loop (issue #14): the status of ideas and its dated history, polls on
 * topics, and the two-way help-desk connector (tickets linked to topics, incoming deliveries
 * remembered for replay protection, and a log of incoming events).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === "postgres";
  const withId = <T extends string>(table: CreateTableBuilder<T, never>) =>
    postgres
      ? table.addColumn("id", "serial", (c) => c.primaryKey())
      : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());

  // An idea without a row here is "new"; the row holds its current status for the board.
  await db.schema
    .createTable("idea_statuses")
    .addColumn("topic_id", "integer", (c) => c.primaryKey().references("topics.id").onDelete("cascade"))
    .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("changed_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("idea_statuses_community")
    .on("idea_statuses")
    .columns(["community_id", "status"])
    .execute();

  // Every status change, with the staff member and the public note: the timeline and the feed.
  await withId(db.schema.createTable("idea_status_changes"))
    .addColumn("topic_id", "integer", (c) => c.notNull().references("topics.id").onDelete("cascade"))
    .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("staff_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("idea_status_changes_topic")
    .on("idea_status_changes")
    .columns(["topic_id", "id"])
    .execute();
  await db.schema
    .createIndex("idea_status_changes_community")
    .on("idea_status_changes")
    .columns(["community_id", "id"])
    .execute();

  await withId(db.schema.createTable("polls"))
    .addColumn("topic_id", "integer", (c) => c.notNull().unique().references("topics.id").onDelete("cascade"))
    .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("multiple", "integer", (c) => c.notNull())
    .addColumn("closes_at", "bigint")
    .addColumn("created_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable("poll_options"))
    .addColumn("poll_id", "integer", (c) => c.notNull().references("polls.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("poll_options_poll").on("poll_options").columns(["poll_id", "position"]).execute();

  // A member's ballot is their rows of one poll: one for a single-choice poll, several for a multiple one.
  await db.schema
    .createTable("poll_votes")
    .addColumn("poll_id", "integer", (c) => c.notNull().references("polls.id").onDelete("cascade"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("option_id", "integer", (c) => c.notNull().references("poll_options.id").onDelete("cascade"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("poll_votes_pk", ["poll_id", "user_id", "option_id"])
    .execute();
  await db.schema.createIndex("poll_votes_option").on("poll_votes").columns(["option_id"]).execute();

  // The help desk's ticket of an escalated topic and its last status, shown to staff and the asker.
  await db.schema
    .createTable("helpdesk_tickets")
    .addColumn("topic_id", "integer", (c) => c.primaryKey().references("topics.id").onDelete("cascade"))
    .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("ticket_id", "text", (c) => c.notNull())
    .addColumn("ticket_url", "text")
    .addColumn("status", "text")
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  // Delivery ids of applied incoming events: a replay is refused by the primary key.
  await db.schema
    .createTable("helpdesk_deliveries")
    .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("delivery_id", "text", (c) => c.notNull())
    .addColumn("received_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("helpdesk_deliveries_pk", ["community_id", "delivery_id"])
    .execute();

  // Every signed incoming event and what came of it, for the webhook page.
  await withId(db.schema.createTable("helpdesk_events"))
    .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
    .addColumn("delivery_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("topic_id", "integer")
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("received_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("helpdesk_events_community")
    .on("helpdesk_events")
    .columns(["community_id", "id"])
    .execute();

  // Outgoing events queued by subscribers (delivered at least once) are recorded once per subject.
  await db.schema.alterTable("webhook_deliveries").addColumn("dedupe_key", "text").execute();
  await db.schema
    .createIndex("webhook_deliveries_dedupe")
    .on("webhook_deliveries")
    .columns(["community_id", "dedupe_key"])
    .unique()
    .execute();

  // The community's "Support team" account, which posts help-desk replies of agents without a staff account.
  await db.schema
    .alterTable("escalation_webhooks")
    .addColumn("support_user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Not reversible.");
}
