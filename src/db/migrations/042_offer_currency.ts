import { sql, type Kysely } from "kysely";

/**
 * The currency an offer's price is in: the community's when the helper published it, so staff
 * changing it since does not turn the helper's price into another currency (as migration 040 did for
 * job requests). Offers published before take their community's current currency (CHF, the
 * settings' default, where the community never set one).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("offers")
    .addColumn("currency", "text", (c) => c.notNull().defaultTo("CHF"))
    .execute();
  const ofCommunity = sql`from marketplace_settings s where s.community_id = offers.community_id`;
  await sql`update offers set currency = (select s.currency ${ofCommunity})
    where exists (select 1 ${ofCommunity})`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("offers").dropColumn("currency").execute();
}
