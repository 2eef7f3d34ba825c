import { sql } from "kysely";
import type { Db, Dialect } from "./database.ts";

/** Tables whose rows serialise a read-then-decide write (each has an `id` column). */
export type LockableTable = "bookings" | "communities" | "courses" | "polls" | "replies" | "topics" | "users";

/**
 * Locks rows by id until the transaction `db` belongs to ends, on PostgreSQL: a write that reads,
 * decides, then writes (a limit, a count, a state) waits for another doing the same on these rows.
 * SQLite has one writer at a time, so there it does nothing. Ids are locked in order, so two
 * transactions locking the same rows cannot deadlock on each other.
 *
 * `strength: "no key update"` takes the weaker lock: it still queues writers that lock the same
 * rows, but lets others insert rows that reference them (a foreign key check takes KEY SHARE).
 * `strength: "share"` only keeps the rows from changing until commit: readers that share it go on
 * side by side, writers of the rows wait.
 */
export async function lockRows(
  tx: { db: Db; dialect: Dialect },
  table: LockableTable,
  ids: readonly number[],
  { strength = "update" }: { strength?: "update" | "no key update" | "share" } = {},
): Promise<void> {
  if (tx.dialect !== "postgres" || ids.length === 0) return;
  const lock = { update: sql`for update`, "no key update": sql`for no key update`, share: sql`for share` }[strength];
  await sql`select id from ${sql.table(table)} where id in (${sql.join(ids)}) order by id ${lock}`.execute(tx.db);
}
