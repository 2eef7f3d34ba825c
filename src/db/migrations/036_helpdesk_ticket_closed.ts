import type { Kysely } from "kysely";

/**
 * When the help desk closed a topic's ticket (`ticket.closed`), until it reopens it: a late
 * `ticket.status` then leaves the ticket as it is (escalation/helpdesk.tickets.ts). Tickets closed
 * before this migration get theirs from the event log in 039.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("helpdesk_tickets").addColumn("closed_at", "bigint").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("helpdesk_tickets").dropColumn("closed_at").execute();
}
