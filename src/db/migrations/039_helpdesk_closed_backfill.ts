import { sql, type Kysely } from "kysely";

/**
 * Tickets the help desk closed before migration 036 get their closing time from the help desk's
 * event log: the last applied `ticket.closed` of the topic, unless a reopening status or a link
 * (perhaps to another ticket) was applied after it. Their late statuses are then ignored like
 * those of tickets closed since (escalation/helpdesk.tickets.ts). No `down`: 036's drops the column.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const lastClosing = sql`(select max(e.received_at) from helpdesk_events e
    where e.topic_id = helpdesk_tickets.topic_id and e.community_id = helpdesk_tickets.community_id
      and e.type = 'ticket.closed' and e.outcome like 'applied:%')`;
  await sql`update helpdesk_tickets set closed_at = ${lastClosing}
    where closed_at is null and ${lastClosing} is not null
      and not exists (select 1 from helpdesk_events later
        where later.topic_id = helpdesk_tickets.topic_id and later.community_id = helpdesk_tickets.community_id
          and later.received_at > ${lastClosing} and later.outcome like 'applied:%'
          and (later.type = 'ticket.linked'
            or lower(later.outcome) in ('applied: status reopened', 'applied: status reopen',
              'applied: status re-opened')))`.execute(db);
}
