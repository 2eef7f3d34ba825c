import { sql, type Kysely } from "kysely";

/**
 * The accepted reply of a topic while moderation hides it (topics.state.ts): hidden, it is no
 * solution (accepted_reply_id is cleared, so the topic reads as unsolved everywhere); restored, it
 * is the solution again unless another reply was accepted meanwhile. No foreign key, as for
 * accepted_reply_id: an archive inserts topics before their replies. Solutions hidden before this
 * migration are withdrawn the same way.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("topics").addColumn("hidden_solution_id", "integer").execute();
  await sql`update topics set hidden_solution_id = accepted_reply_id, accepted_reply_id = null
    where exists (select 1 from replies r where r.id = topics.accepted_reply_id and r.moderation_state = 'hidden')`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update topics set accepted_reply_id = hidden_solution_id
    where accepted_reply_id is null and hidden_solution_id is not null`.execute(db);
  await db.schema.alterTable("topics").dropColumn("hidden_solution_id").execute();
}
