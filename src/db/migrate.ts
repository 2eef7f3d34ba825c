import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import * as m001 from "./migrations/001_core.ts";
import * as m002 from "./migrations/002_jobs.ts";

/** Migrations are imported explicitly so they work the same from source and from a bundle. */
const migrations: Record<string, Migration> = {
  "001_core": m001,
  "002_jobs": m002,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
