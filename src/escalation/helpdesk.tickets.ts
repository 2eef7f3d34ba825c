import type { Db } from "../db/database.ts";
import { preparedFirst } from "../db/prepared.ts";

// Read on every topic page staff and the asker see: compiled once (db/prepared.ts).
const ticketOfTopic = preparedFirst((db, v: { topicId: number }) =>
  db
    .selectFrom("helpdeskTickets")
    .select(["ticketId", "ticketUrl", "status", "updatedAt"])
    .where("topicId", "=", v.topicId),
);

/** The help desk's ticket of a topic, for staff and the asker. */
export async function ticketOf(db: Db, topicId: number) {
  const row = await ticketOfTopic(db, { topicId });
  return row ? { ...row, updatedAt: new Date(Number(row.updatedAt)).toISOString() } : null;
}

/**
 * A ticket the help desk closed stays closed until the help desk explicitly reopens it. Its events
 * carry no time or sequence of their own (the signed timestamp is when a delivery, or its retry, was
 * sent), so a `ticket.status` delivered after `ticket.closed` (a late or retried delivery of an older
 * change, "pending" say) cannot be told from a newer one by time: it changes nothing, and only the
 * status "reopened" (or "reopen", "re-opened"; any case) opens the ticket again. A help desk that
 * reopens a closed ticket sends that status, then its statuses apply again
 * (test/escalation/helpdesk-closed-status.test.ts).
 */
export const isReopening = (status: string | undefined) => status !== undefined && /^re-?open(ed)?$/i.test(status);

/** Whether the help desk closed this ticket of the topic and has not reopened it since. */
export async function isTicketClosed(db: Db, topicId: number, ticketId: string) {
  const ticket = await db
    .selectFrom("helpdeskTickets")
    .select("closedAt")
    .where("topicId", "=", topicId)
    .where("ticketId", "=", ticketId)
    .executeTakeFirst();
  return ticket !== undefined && ticket.closedAt !== null;
}

/** Marks the topic's ticket closed by the help desk (`ticket.closed`), or open again (a reopening status). */
export async function markTicketClosed(db: Db, ticket: { topicId: number; ticketId: string }, closedAt: number | null) {
  await db
    .updateTable("helpdeskTickets")
    .set({ closedAt })
    .where("topicId", "=", ticket.topicId)
    .where("ticketId", "=", ticket.ticketId)
    .execute();
}
