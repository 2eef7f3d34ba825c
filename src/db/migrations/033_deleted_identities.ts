import { sql, type Kysely } from "kysely";

/**
 * Accounts deleted before their provider identities were erased with them: the identity, with its
 * claims (email, name, customer number), is personal data, and would sign the account in again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`delete from user_identities
    where user_id in (select id from users where deleted_at is not null)`.execute(db);
}

export async function down(): Promise<void> {
  // Erased data does not come back.
}
