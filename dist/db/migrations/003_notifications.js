import { dialectOf } from "../dialect.js";
export async function up(db) {
    const postgres = dialectOf(db) === "postgres";
    const withId = (table) => postgres
        ? table.addColumn("id", "serial", (c) => c.primaryKey())
        : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
    await withId(db.schema.createTable("notifications"))
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("community_id", "integer", (c) => c.references("communities.id").onDelete("cascade"))
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("topic_id", "integer", (c) => c.references("topics.id").onDelete("cascade"))
        .addColumn("actor_id", "integer", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("data", "text", (c) => c.notNull())
        /** What happened ("reply:12"); with user and kind unique, so a retried fan-out notifies nobody twice. */
        .addColumn("event_key", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("read_at", "bigint")
        /** Set once the notification went out in a digest email. */
        .addColumn("digested_at", "bigint")
        .execute();
    await db.schema.createIndex("notifications_user").on("notifications").columns(["user_id", "id"]).execute();
    await db.schema
        .createIndex("notifications_event")
        .on("notifications")
        .columns(["user_id", "kind", "event_key"])
        .unique()
        .execute();
    await db.schema.createIndex("notifications_unread").on("notifications").columns(["user_id", "read_at"]).execute();
    await db.schema
        .createTable("notification_preferences")
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("channel", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("notification_preferences_pk", ["user_id", "kind"])
        .execute();
    await withId(db.schema.createTable("email_deliveries"))
        .addColumn("user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("to_address", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("text_body", "text", (c) => c.notNull())
        .addColumn("html_body", "text", (c) => c.notNull())
        .addColumn("headers", "text", (c) => c.notNull().defaultTo("{}"))
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("last_error", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("sent_at", "bigint")
        .execute();
    await db.schema.createIndex("email_deliveries_recent").on("email_deliveries").columns(["id"]).execute();
    // Live events, kept a short while so a reconnecting client can resume from Last-Event-ID.
    await withId(db.schema.createTable("live_events"))
        .addColumn("channel", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("data", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema.createIndex("live_events_channel").on("live_events").columns(["channel", "id"]).execute();
}
export async function down() {
    throw new Error("Not reversible.");
}
