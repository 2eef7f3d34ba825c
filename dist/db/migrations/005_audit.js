import { dialectOf } from "../dialect.js";
export async function up(db) {
    const postgres = dialectOf(db) === "postgres";
    let table = db.schema.createTable("audit_log");
    table = postgres
        ? table.addColumn("id", "serial", (c) => c.primaryKey())
        : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
    await table
        .addColumn("community_id", "integer", (c) => c.references("communities.id").onDelete("cascade"))
        .addColumn("actor_id", "integer", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("target_type", "text", (c) => c.notNull())
        .addColumn("target_id", "integer")
        .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema.createIndex("audit_log_community").on("audit_log").columns(["community_id", "id"]).execute();
    // A suspended member may read but not take part until the time given (issue: moderation).
    await db.schema.alterTable("memberships").addColumn("suspended_until", "bigint").execute();
    await db.schema.alterTable("memberships").addColumn("suspension_reason", "text").execute();
}
export async function down() {
    throw new Error("Not reversible.");
}
