import { dialectOf } from "../dialect.js";
/** Auto-incrementing integer primary key, the one column type the two engines spell differently. */
function withId(db) {
    const postgres = dialectOf(db) === "postgres";
    return (table) => postgres
        ? table.addColumn("id", "serial", (c) => c.primaryKey())
        : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
}
export async function up(db) {
    const id = withId(db);
    await id(db.schema.createTable("users"))
        .addColumn("email", "text", (c) => c.notNull().unique())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("password_hash", "text", (c) => c.notNull())
        .addColumn("is_platform_admin", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("locale", "text")
        .addColumn("signup_ip", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema
        .createTable("sessions")
        .addColumn("id_hash", "text", (c) => c.primaryKey())
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();
    await id(db.schema.createTable("api_tokens"))
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("last_used_at", "bigint")
        .execute();
    await id(db.schema.createTable("communities"))
        .addColumn("slug", "text", (c) => c.notNull().unique())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("visibility", "text", (c) => c.notNull())
        .addColumn("locale", "text", (c) => c.notNull().defaultTo("en"))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema
        .createTable("memberships")
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("memberships_pk", ["community_id", "user_id"])
        .execute();
    await db.schema.createIndex("memberships_user").on("memberships").column("user_id").execute();
    await id(db.schema.createTable("categories"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("slug", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint("categories_slug", ["community_id", "slug"])
        .execute();
    await id(db.schema.createTable("topics"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("category_id", "integer", (c) => c.references("categories.id").onDelete("set null"))
        .addColumn("author_id", "integer", (c) => c.notNull().references("users.id"))
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("body_html", "text", (c) => c.notNull())
        .addColumn("tags", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("score", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("reply_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("follower_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("accepted_reply_id", "integer")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("last_activity_at", "bigint", (c) => c.notNull())
        .addColumn("edited_at", "bigint")
        .execute();
    // One index per sort order of the topic list, each ending in id for keyset pagination.
    await db.schema.createIndex("topics_newest").on("topics").columns(["community_id", "created_at", "id"]).execute();
    await db.schema
        .createIndex("topics_activity")
        .on("topics")
        .columns(["community_id", "last_activity_at", "id"])
        .execute();
    await db.schema.createIndex("topics_votes").on("topics").columns(["community_id", "score", "id"]).execute();
    await db.schema.createIndex("topics_category").on("topics").columns(["category_id", "last_activity_at"]).execute();
    await db.schema
        .createTable("topic_tags")
        .addColumn("topic_id", "integer", (c) => c.notNull().references("topics.id").onDelete("cascade"))
        .addColumn("community_id", "integer", (c) => c.notNull())
        .addColumn("tag", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("topic_tags_pk", ["topic_id", "tag"])
        .execute();
    await db.schema.createIndex("topic_tags_tag").on("topic_tags").columns(["community_id", "tag", "topic_id"]).execute();
    await id(db.schema.createTable("replies"))
        .addColumn("topic_id", "integer", (c) => c.notNull().references("topics.id").onDelete("cascade"))
        .addColumn("author_id", "integer", (c) => c.notNull().references("users.id"))
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("body_html", "text", (c) => c.notNull())
        .addColumn("official", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("score", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("edited_at", "bigint")
        .execute();
    await db.schema.createIndex("replies_topic").on("replies").columns(["topic_id", "created_at"]).execute();
    await db.schema.createIndex("replies_author").on("replies").columns(["author_id"]).execute();
    await id(db.schema.createTable("comments"))
        .addColumn("reply_id", "integer", (c) => c.notNull().references("replies.id").onDelete("cascade"))
        .addColumn("author_id", "integer", (c) => c.notNull().references("users.id"))
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("body_html", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema.createIndex("comments_reply").on("comments").columns(["reply_id", "created_at"]).execute();
    await db.schema
        .createTable("votes")
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("target_type", "text", (c) => c.notNull())
        .addColumn("target_id", "integer", (c) => c.notNull())
        .addColumn("value", "integer", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("votes_pk", ["user_id", "target_type", "target_id"])
        .execute();
    await db.schema.createIndex("votes_target").on("votes").columns(["target_type", "target_id"]).execute();
    await db.schema
        .createTable("follows")
        .addColumn("topic_id", "integer", (c) => c.notNull().references("topics.id").onDelete("cascade"))
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("follows_pk", ["topic_id", "user_id"])
        .execute();
    await db.schema.createIndex("follows_user").on("follows").columns(["user_id"]).execute();
    await id(db.schema.createTable("revisions"))
        .addColumn("target_type", "text", (c) => c.notNull())
        .addColumn("target_id", "integer", (c) => c.notNull())
        .addColumn("editor_id", "integer", (c) => c.notNull().references("users.id"))
        .addColumn("title", "text")
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("tags", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema.createIndex("revisions_target").on("revisions").columns(["target_type", "target_id", "id"]).execute();
    await db.schema
        .createTable("rate_limits")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("window_start", "bigint", (c) => c.notNull())
        .addColumn("count", "integer", (c) => c.notNull())
        .execute();
}
export async function down() {
    throw new Error("The core schema cannot be rolled back.");
}
