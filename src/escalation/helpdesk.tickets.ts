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
