import { dialectOf } from "../dialect.js";
/** Auto-incrementing integer primary key (serial on PostgreSQL, integer autoincrement on SQLite). */
export function withId(db) {
    const postgres = dialectOf(db) === "postgres";
    return (table) => postgres
        ? table.addColumn("id", "serial", (c) => c.primaryKey())
        : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
}
/** The academy: courses with Markdown lessons and a scored quiz; passing grants a certification. */
export async function up(db) {
    const id = withId(db);
    await id(db.schema.createTable("courses"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("pass_mark", "integer", (c) => c.notNull())
        .addColumn("max_attempts", "integer", (c) => c.notNull())
        .addColumn("cooldown_minutes", "integer", (c) => c.notNull())
        .addColumn("validity_days", "integer")
        .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema.createIndex("courses_community").on("courses").columns(["community_id", "id"]).execute();
    await id(db.schema.createTable("course_lessons"))
        .addColumn("course_id", "integer", (c) => c.notNull().references("courses.id").onDelete("cascade"))
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("body_html", "text", (c) => c.notNull())
        .execute();
    await db.schema
        .createIndex("course_lessons_course")
        .on("course_lessons")
        .columns(["course_id", "position"])
        .execute();
    await id(db.schema.createTable("quiz_questions"))
        .addColumn("course_id", "integer", (c) => c.notNull().references("courses.id").onDelete("cascade"))
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .execute();
    await db.schema
        .createIndex("quiz_questions_course")
        .on("quiz_questions")
        .columns(["course_id", "position"])
        .execute();
    await id(db.schema.createTable("quiz_options"))
        .addColumn("question_id", "integer", (c) => c.notNull().references("quiz_questions.id").onDelete("cascade"))
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("correct", "integer", (c) => c.notNull())
        .execute();
    await db.schema
        .createIndex("quiz_options_question")
        .on("quiz_options")
        .columns(["question_id", "position"])
        .execute();
    await id(db.schema.createTable("quiz_attempts"))
        .addColumn("course_id", "integer", (c) => c.notNull().references("courses.id").onDelete("cascade"))
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("answers", "text", (c) => c.notNull())
        .addColumn("score", "integer", (c) => c.notNull())
        .addColumn("passed", "integer", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    await db.schema
        .createIndex("quiz_attempts_user")
        .on("quiz_attempts")
        .columns(["course_id", "user_id", "created_at"])
        .execute();
    await id(db.schema.createTable("certifications"))
        .addColumn("community_id", "integer", (c) => c.notNull().references("communities.id").onDelete("cascade"))
        .addColumn("course_id", "integer", (c) => c.notNull().references("courses.id").onDelete("cascade"))
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("granted_at", "bigint", (c) => c.notNull())
        .addColumn("expires_at", "bigint")
        .addUniqueConstraint("certifications_course_user", ["course_id", "user_id"])
        .execute();
    await db.schema
        .createIndex("certifications_user")
        .on("certifications")
        .columns(["community_id", "user_id"])
        .execute();
}
export async function down() {
    throw new Error("Not reversible.");
}
