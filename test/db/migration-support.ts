import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, type Migration } from "kysely";

const DIR = path.join(import.meta.dirname, "../../src/db/migrations");

/** Every migration this code has, by name. */
async function allMigrations(): Promise<Record<string, Migration>> {
  const entries = fs.readdirSync(DIR).filter((f) => f.endsWith(".ts"));
  return Object.fromEntries(
    await Promise.all(entries.map(async (f) => [f.replace(/\.ts$/, ""), await import(path.join(DIR, f))] as const)),
  );
}

/**
 * An in-memory SQLite database migrated to just before `migration`, as an installation that has
 * not run it yet; `row` writes rows as it has them (what their NOT NULL columns need filled in),
 * and `migrateRest` runs the remaining migrations.
 */
export async function sqliteBefore(migration: string) {
  const sqlite = new Database(":memory:");
  sqlite.pragma("foreign_keys = ON");
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrations = await allMigrations();
  const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < migration));
  const upTo = await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest();
  if (upTo.error) throw upTo.error;
  const row = (table: string, values: Record<string, unknown>) => {
    const columns = sqlite.prepare(`pragma table_info(${table})`).all() as {
      name: string;
      notnull: number;
      dflt_value: unknown;
      pk: number;
    }[];
    const full = { ...values };
    for (const c of columns) if (c.notnull && c.dflt_value === null && !c.pk && !(c.name in full)) full[c.name] = 1;
    const names = Object.keys(full);
    sqlite
      .prepare(`insert into ${table} (${names.join(", ")}) values (${names.map(() => "?").join(", ")})`)
      .run(...Object.values(full));
  };
  const migrateRest = () => new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateToLatest();
  return { sqlite, db, row, migrateRest };
}
