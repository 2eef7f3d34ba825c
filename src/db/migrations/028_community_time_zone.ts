import { sql, type Kysely } from "kysely";

/**
 * Every page, notification and email shows times in the community's time zone (issue #16). A
 * community that set one for its marketplace keeps it; others start in UTC.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("communities")
    .addColumn("time_zone", "text", (c) => c.notNull().defaultTo("UTC"))
    .execute();
  await sql`update communities set time_zone = (select timezone from marketplace_settings
    where marketplace_settings.community_id = communities.id)
    where exists (select 1 from marketplace_settings where marketplace_settings.community_id = communities.id)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("communities").dropColumn("time_zone").execute();
}
