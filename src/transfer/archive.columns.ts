import { sql } from "kysely";
import type { Deps } from "../core/deps.ts";
import { badRequest } from "../core/errors.ts";
import { ARCHIVE_TABLES, snakeCase } from "./archive.tables.ts";

type Row = Record<string, unknown>;

/** What a column holds as JSON: SQLite would store a string in an integer column as it is. */
type Kind = "an integer" | "a number" | "a string";

interface Column {
  /** Undefined for columns no archived value is checked against (blobs). */
  kind: Kind | undefined;
  nullable: boolean;
}

/** A declared type as JSON carries it: both engines' names (INTEGER, bigint, varchar(255), double precision). */
function kindOf(declared: string): Kind | undefined {
  const type = declared.toLowerCase();
  if (type.includes("int")) return "an integer";
  if (/char|text|clob/.test(type)) return "a string";
  if (/real|floa|doub|numeric|decimal/.test(type)) return "a number";
  return undefined;
}

const fits: Record<Kind, (value: unknown) => boolean> = {
  "an integer": (value) => Number.isSafeInteger(value),
  "a number": (value) => typeof value === "number" && Number.isFinite(value),
  "a string": (value) => typeof value === "string",
};

/** Every column of this installation's tables, by table and column (snake_case), as the database declares it. */
async function declaredColumns(deps: Pick<Deps, "db" | "dialect">): Promise<Map<string, Map<string, Column>>> {
  const query =
    deps.dialect === "postgres"
      ? sql<{ tbl: string; col: string; type: string; nullable: boolean }>`
          select table_name as tbl, column_name as col, data_type as type, is_nullable = 'YES' as nullable
          from information_schema.columns where table_schema = current_schema()`
      : sql<{ tbl: string; col: string; type: string; nullable: number }>`
          select m.name as tbl, p.name as col, p.type as type, not p."notnull" as nullable
          from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table'`;
  const tables = new Map<string, Map<string, Column>>();
  for (const { tbl, col, type, nullable } of (await query.execute(deps.db)).rows) {
    const columns = tables.get(tbl) ?? new Map<string, Column>();
    columns.set(col, { kind: kindOf(type), nullable: Boolean(nullable) });
    tables.set(tbl, columns);
  }
  return tables;
}

/**
 * Each archived row's values must have its column's type here (an integer, a number or a string;
 * null only where the column allows it): a crafted archive must not put a string where a number
 * belongs, which SQLite would store as it is. Columns unknown here are left to the insert, which
 * refuses them. Members are checked as they are read (archive.import.ts).
 */
export async function checkRowTypes(deps: Pick<Deps, "db" | "dialect">, rows: Map<string, Row[]>): Promise<void> {
  const declared = await declaredColumns(deps);
  for (const { table } of ARCHIVE_TABLES) {
    const columns = declared.get(snakeCase(table));
    for (const [index, row] of (rows.get(table) ?? []).entries())
      for (const [field, value] of Object.entries(row)) {
        const column = columns?.get(snakeCase(field));
        if (!column) continue;
        const fine = value === null ? column.nullable : column.kind === undefined || fits[column.kind](value);
        if (fine) continue;
        const expected = `${column.kind ?? "a value"}${column.nullable ? " or null" : ""}`;
        const found = String(JSON.stringify(value)).slice(0, 100);
        throw badRequest(
          `Row ${index + 1} of ${snakeCase(table)}${typeof row.id === "number" ? ` (id ${row.id})` : ""}: ` +
            `${field} must be ${expected}, not ${found}.`,
        );
      }
  }
}
