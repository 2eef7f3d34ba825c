import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";
import type { Db } from "./database.ts";
import { dialectOf } from "./dialect.ts";

/**
 * `column in (values)` as one parameter, whatever the number of values: an array on PostgreSQL
 * (`= any(?)`), a JSON array on SQLite (`in (select value from json_each(?))`). An `in` list has
 * one parameter per value, so its SQL changes with the list's length and is parsed and planned
 * anew (and, on PostgreSQL, cannot be sent as a named statement: statement-names.ts). PostgreSQL
 * also plans an `in` list value by value, estimating each one's selectivity: reading the postings
 * of 200 words took 28 ms as a list and 7.5 ms as a named statement with an array (README,
 * "Catching up after a change").
 */
function oneParameterIn(
  db: Db,
  column: string | Expression<unknown>,
  values: readonly unknown[],
  arrayType: "integer[]" | "text[]",
): RawBuilder<SqlBool> {
  const ref = typeof column === "string" ? sql.ref(column) : column;
  return dialectOf(db) === "postgres"
    ? sql<SqlBool>`${ref} = any(${[...values]}::${sql.raw(arrayType)})`
    : sql<SqlBool>`${ref} in (select value from json_each(${JSON.stringify(values)}))`;
}

/** `column in (ids)` as one parameter (above). */
export const idIn = (db: Db, column: string | Expression<unknown>, ids: readonly number[]) =>
  oneParameterIn(db, column, ids, "integer[]");

/** `column in (texts)` as one parameter (above). */
export const textIn = (db: Db, column: string | Expression<unknown>, texts: readonly string[]) =>
  oneParameterIn(db, column, texts, "text[]");
