import { dialectOf } from "../dialect.js";
export async function up(db) {
    const postgres = dialectOf(db) === "postgres";
    let jobs = db.schema.createTable("jobs");
    jobs = postgres
        ? jobs.addColumn("id", "serial", (c) => c.primaryKey())
        : jobs.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
    await jobs
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("run_at", "bigint", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("max_attempts", "integer", (c) => c.notNull())
        .addColumn("locked_until", "bigint")
        .addColumn("last_error", "text")
        // Scheduling the same timer twice (e.g. an SLA deadline) must not create two jobs.
        .addColumn("dedupe_key", "text", (c) => c.unique())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("finished_at", "bigint")
        .execute();
    await db.schema.createIndex("jobs_due").on("jobs").columns(["status", "run_at"]).execute();
    // Installation-wide values shared by every app instance (e.g. the signing secret).
    await db.schema
        .createTable("settings")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();
}
export async function down() {
    throw new Error("Not reversible.");
}
