import type { Kysely } from "kysely";

/**
 * Whether a failed quiz attempt shows which questions were answered wrong (never which options are
 * right). Courses created before keep the rule they were written under: nothing shown until a pass.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("courses")
    .addColumn("show_mistakes", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("courses").dropColumn("show_mistakes").execute();
}
