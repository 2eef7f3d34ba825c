import { sql, type Kysely } from "kysely";

const POSTS = ["topics", "replies", "comments"] as const;

/**
 * Whether a post was ever published (shown to readers and announced: followers, routing, deadlines).
 * A post held for review is not, until a moderator approves it, also when it was hidden from the
 * queue first and restored later (topics.state.ts). Posts held now are not; every other post is
 * taken as published, as the code before this treated it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of POSTS) {
    await db.schema
      .alterTable(table)
      .addColumn("published", "integer", (c) => c.notNull().defaultTo(1))
      .execute();
    await sql`update ${sql.table(table)} set published = 0 where moderation_state = 'pending'`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of POSTS) await db.schema.alterTable(table).dropColumn("published").execute();
}
