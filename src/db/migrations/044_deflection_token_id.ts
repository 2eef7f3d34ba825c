import type { Kysely } from "kysely";

/**
 * The token a client's deflection event echoed, by its id: the events of one token are counted as
 * one visit, whatever visit ids come with them (search/deflection.service.ts). Null for the server's
 * own events and for those recorded before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("deflection_events").addColumn("token_id", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("deflection_events").dropColumn("token_id").execute();
}
