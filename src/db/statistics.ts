import { sql } from "kysely";
import type { Db } from "./database.ts";
import { dialectOf } from "./dialect.ts";
import type { Database } from "./schema.ts";

/**
 * Refreshes PostgreSQL's planner statistics of these tables, after a bulk write left them
 * describing the tables as they were (autovacuum comes round later). SQLite plans these reads by
 * their keys without statistics: nothing to do there.
 */
export async function refreshPlannerStatistics(db: Db, tables: readonly (keyof Database)[]): Promise<void> {
  if (dialectOf(db) !== "postgres") return;
  await sql`analyze ${sql.join(tables.map((name) => sql.table(name)))}`.execute(db);
}
