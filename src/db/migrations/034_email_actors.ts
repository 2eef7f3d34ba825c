import type { Kysely } from "kysely";

/**
 * The members a queued email names (the actor of a notification, the actors of a digest), so a
 * deleted account's name is taken out of the emails that name that account only, not out of
 * every pending email that mentions someone with the same display name.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("email_delivery_actors")
    .addColumn("delivery_id", "integer", (c) => c.notNull().references("email_deliveries.id").onDelete("cascade"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("email_delivery_actors_pk", ["delivery_id", "user_id"])
    .execute();
  await db.schema.createIndex("email_delivery_actors_user").on("email_delivery_actors").column("user_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("email_delivery_actors").execute();
}
