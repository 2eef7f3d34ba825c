import { sql } from "kysely";
import { dialectOf } from "../dialect.js";
/**
 * Reputation and moderation (issue 4): per-community settings, the kudos ledger and its totals,
 * badges, rewards and redemptions, flags and the review queue; moderation state on posts, topic
 * locks and merges, champions-only categories.
 */
export async function up(db) {
    const postgres = dialectOf(db) === "postgres";
    const withId = (table) => postgres
        ? table.addColumn("id", "serial", (c) => c.primaryKey())
        : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
    /** One JSON document per community and domain ("reputation", "moderation"), validated by that domain. */
    await db.schema
        .createTable("community_settings")
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("section", "text", (c) => c.notNull())
        .addColumn("value", "text", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("community_settings_pk", ["community_id", "section"])
        .execute();
    /** Totals per member and community, kept equal to the sums of the ledger in the same transaction. */
    await db.schema
        .createTable("reputation")
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("kudos", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("balance", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("champion_since", "bigint")
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("reputation_pk", ["community_id", "user_id"])
        .execute();
    await db.schema.createIndex("reputation_kudos").on("reputation").columns(["community_id", "kudos"]).execute();
    /** The append-only kudos ledger: a retracted vote adds a reversal entry pointing at what it reverses. */
    await withId(db.schema.createTable("kudos_events"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("actor_id", "integer", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("amount", "integer", (c) => c.notNull())
        /** "earn" counts toward kudos (rank) and balance; "spend" (rewards) only toward the balance. */
        .addColumn("kind", "text", (c) => c.notNull())
        /** 1 when the entry counts against the daily cap on kudos from votes. */
        .addColumn("from_votes", "integer", (c) => c.notNull().defaultTo(0))
        /** What caused it, e.g. "vote:reply:12:by:5"; reversals carry the same key. */
        .addColumn("source_key", "text", (c) => c.notNull())
        // No foreign key: its check would take a share lock on the topic row, which a concurrent vote
        // on the topic holds for update (PostgreSQL deadlock). Kept for tag leaderboards only.
        .addColumn("topic_id", "integer")
        .addColumn("reverses_id", "integer", (c) => c.unique().references("kudos_events.id"))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema
        .createIndex("kudos_events_member")
        .on("kudos_events")
        .columns(["community_id", "user_id", "id"])
        .execute();
    await db.schema.createIndex("kudos_events_source").on("kudos_events").columns(["source_key"]).execute();
    await db.schema.createIndex("kudos_events_time").on("kudos_events").columns(["community_id", "created_at"]).execute();
    await withId(db.schema.createTable("member_badges"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("badge", "text", (c) => c.notNull())
        /** "" for badges awarded once; what earned it (e.g. "reply:12") for repeatable ones. */
        .addColumn("source_key", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("awarded_at", "bigint", (c) => c.notNull())
        .addUniqueConstraint("member_badges_once", ["community_id", "user_id", "badge", "source_key"])
        .execute();
    await withId(db.schema.createTable("rewards"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("price", "integer", (c) => c.notNull())
        /** Left in stock; null: unlimited. */
        .addColumn("stock", "integer")
        .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema.createIndex("rewards_community").on("rewards").columns(["community_id", "id"]).execute();
    await withId(db.schema.createTable("reward_redemptions"))
        .addColumn("reward_id", "integer", (c) => c.notNull().references("rewards.id").onDelete("cascade"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("price", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        /** The client's key for this redemption: a repeated request (double click) finds the first one. */
        .addColumn("idempotency_key", "text")
        .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("decided_at", "bigint")
        .addColumn("decided_by", "integer", (c) => c.references("users.id").onDelete("set null"))
        .addUniqueConstraint("reward_redemptions_idempotency", ["user_id", "idempotency_key"])
        .execute();
    await db.schema
        .createIndex("reward_redemptions_community")
        .on("reward_redemptions")
        .columns(["community_id", "status", "id"])
        .execute();
    await withId(db.schema.createTable("post_flags"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("target_type", "text", (c) => c.notNull())
        .addColumn("target_id", "integer", (c) => c.notNull())
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull().defaultTo(""))
        /** 1 when the flagger was trusted at the time: only trusted flags hide a post. */
        .addColumn("trusted", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addUniqueConstraint("post_flags_once", ["target_type", "target_id", "user_id"])
        .execute();
    await db.schema
        .createIndex("post_flags_target")
        .on("post_flags")
        .columns(["target_type", "target_id", "status"])
        .execute();
    await withId(db.schema.createTable("review_queue"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("target_type", "text", (c) => c.notNull())
        .addColumn("target_id", "integer", (c) => c.notNull())
        .addColumn("author_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        /** Why it is in the queue: "flags", "first_post" or "spam". */
        .addColumn("reason", "text", (c) => c.notNull())
        /** JSON: spam signals. */
        .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("resolved_at", "bigint")
        .addColumn("resolved_by", "integer", (c) => c.references("users.id").onDelete("set null"))
        .execute();
    await db.schema
        .createIndex("review_queue_open")
        .on("review_queue")
        .columns(["community_id", "status", "id"])
        .execute();
    // At most one open item per post; concurrent flags meet this index instead of queueing twice.
    await sql `create unique index review_queue_one_open on review_queue (target_type, target_id) where status = 'open'`.execute(db);
    // Moderation state of posts: visible, pending (awaiting approval), hidden, deleted; topics also merged.
    for (const table of ["topics", "replies", "comments"]) {
        await db.schema
            .alterTable(table)
            .addColumn("moderation_state", "text", (c) => c.notNull().defaultTo("visible"))
            .execute();
    }
    await db.schema
        .alterTable("topics")
        .addColumn("locked", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
    await db.schema.alterTable("topics").addColumn("merged_into_id", "integer").execute();
    await db.schema
        .alterTable("categories")
        .addColumn("champions_only", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
}
export async function down() {
    throw new Error("Not reversible.");
}
