import { sql, type Kysely } from "kysely";

/**
 * The currency a dispatched job is offered and booked in: the community's when the job was requested,
 * so staff changing it meanwhile does not turn the helper's price into another currency. Jobs
 * requested before take their community's current currency (CHF, the settings' default, where the
 * community never set one).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("job_requests")
    .addColumn("currency", "text", (c) => c.notNull().defaultTo("CHF"))
    .execute();
  const ofCommunity = sql`from marketplace_settings s where s.community_id = job_requests.community_id`;
  await sql`update job_requests set currency = (select s.currency ${ofCommunity})
    where exists (select 1 ${ofCommunity})`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("job_requests").dropColumn("currency").execute();
}
