import { dialectOf } from "../dialect.js";
/**
 * Routing to experts, scope policies and expectations per category, escalation (SLA timers,
 * staff queue, outgoing webhooks) and the topic lifecycle (escalated, abandoned).
 */
export async function up(db) {
    const postgres = dialectOf(db) === "postgres";
    const withId = (table) => postgres
        ? table.addColumn("id", "serial", (c) => c.primaryKey())
        : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
    // Lifecycle facts; the status is derived from them (src/topics/topics.status.ts).
    await db.schema.alterTable("topics").addColumn("escalated_at", "bigint").execute();
    await db.schema.alterTable("topics").addColumn("abandoned_at", "bigint").execute();
    // Who answers, what askers can expect, and the SLA deadlines of each category.
    await db.schema
        .alterTable("categories")
        .addColumn("scope", "text", (c) => c.notNull().defaultTo("crowd"))
        .execute();
    await db.schema
        .alterTable("categories")
        .addColumn("expectation", "text", (c) => c.notNull().defaultTo(""))
        .execute();
    await db.schema.alterTable("categories").addColumn("first_response_minutes", "integer").execute();
    await db.schema.alterTable("categories").addColumn("resolution_minutes", "integer").execute();
    // A member's expertise per key ("tag:wifi", "cat:3", "word:router"), valid as of as_of and decaying from there.
    await db.schema
        .createTable("member_expertise")
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("score", "double precision", (c) => c.notNull())
        .addColumn("as_of", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("member_expertise_pk", ["community_id", "key", "user_id"])
        .execute();
    await db.schema
        .createIndex("member_expertise_user")
        .on("member_expertise")
        .columns(["community_id", "user_id"])
        .execute();
    await db.schema
        .createTable("topic_routes")
        .addColumn("topic_id", "integer", (c) => c.notNull().references("topics.id").onDelete("cascade"))
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("round", "integer", (c) => c.notNull())
        .addColumn("routed_at", "bigint", (c) => c.notNull())
        .addColumn("answered_at", "bigint")
        .addColumn("expired_at", "bigint")
        .addPrimaryKeyConstraint("topic_routes_pk", ["topic_id", "user_id"])
        .execute();
    await db.schema
        .createIndex("topic_routes_user")
        .on("topic_routes")
        .columns(["user_id", "expired_at", "answered_at"])
        .execute();
    await db.schema
        .createIndex("topic_routes_community")
        .on("topic_routes")
        .columns(["community_id", "routed_at"])
        .execute();
    await db.schema
        .createTable("routing_preferences")
        .addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
        .addColumn("opted_out", "integer", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema
        .createTable("routing_settings")
        .addColumn("community_id", "integer", (c) => c.primaryKey().references("communities.id").onDelete("cascade"))
        .addColumn("experts", "integer", (c) => c.notNull())
        .addColumn("reroute_after_minutes", "integer", (c) => c.notNull())
        .addColumn("max_open", "integer", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
    // The staff queue: one case per topic that escalated or that only staff answer.
    await db.schema
        .createTable("support_cases")
        .addColumn("topic_id", "integer", (c) => c.primaryKey().references("topics.id").onDelete("cascade"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("opened_at", "bigint", (c) => c.notNull())
        .addColumn("assigned_to", "integer", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("resolved_at", "bigint")
        .addColumn("resolved_by", "integer", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("resolution", "text")
        .execute();
    await db.schema
        .createIndex("support_cases_queue")
        .on("support_cases")
        .columns(["community_id", "resolved_at", "opened_at"])
        .execute();
    await withId(db.schema.createTable("support_notes"))
        .addColumn("topic_id", "integer", (c) => c.notNull().references("topics.id").onDelete("cascade"))
        .addColumn("author_id", "integer", (c) => c.notNull().references("users.id"))
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema.createIndex("support_notes_topic").on("support_notes").columns(["topic_id", "id"]).execute();
    await db.schema
        .createTable("escalation_webhooks")
        .addColumn("community_id", "integer", (c) => c.primaryKey().references("communities.id").onDelete("cascade"))
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("secret", "text", (c) => c.notNull())
        .addColumn("active", "integer", (c) => c.notNull())
        .addColumn("timeout_seconds", "integer", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
    await withId(db.schema.createTable("webhook_deliveries"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("topic_id", "integer", (c) => c.references("topics.id").onDelete("set null"))
        .addColumn("event", "text", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("response_status", "integer")
        .addColumn("last_error", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("delivered_at", "bigint")
        .addColumn("next_attempt_at", "bigint")
        .execute();
    await db.schema
        .createIndex("webhook_deliveries_community")
        .on("webhook_deliveries")
        .columns(["community_id", "id"])
        .execute();
}
export async function down() {
    throw new Error("Not reversible.");
}
