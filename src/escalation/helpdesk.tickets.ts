import type { Db } from "../db/database.ts";

/** The help desk's ticket of a topic, for staff and the asker. */
export async function ticketOf(db: Db, topicId: number) {
  const row = await db
    .selectFrom("helpdeskTickets")
    .select(["ticketId", "ticketUrl", "status", "updatedAt"])
    .where("topicId", "=", topicId)
    .executeTakeFirst();
  return row ? { ...row, updatedAt: new Date(Number(row.updatedAt)).toISOString() } : null;
}
