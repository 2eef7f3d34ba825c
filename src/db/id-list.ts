import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";
import type { Db } from "./database.ts";
import { dialectOf } from "./dialect.ts";

/**
 * `column in (ids)` as one parameter, whatever the number of ids: an array on PostgreSQL
 * (`= any(?)`), a JSON array on SQLite (`in (select value from json_each(?))`). An `in` list has
 * one parameter per id, so its SQL changes with the list's length and is parsed and planned
 * anew (and, on PostgreSQL, cannot be sent as a named statement: statement-names.ts).
 */
export function idIn(db: Db, column: string | Expression<unknown>, ids: readonly number[]): RawBuilder<SqlBool> {
  const ref = typeof column === "string" ? sql.ref(column) : column;
  return dialectOf(db) === "postgres"
    ? sql<SqlBool>`${ref} = any(${[...ids]}::integer[])`
    : sql<SqlBool>`${ref} in (select value from json_each(${JSON.stringify(ids)}))`;
}
