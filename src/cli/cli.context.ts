import { loadConfig } from "../core/config.ts";
import { systemClock } from "../core/clock.ts";
import type { Deps } from "../core/deps.ts";
import { openDatabase } from "../db/database.ts";

/**
 * The database of the installation the environment names (DATA_DIR, DATABASE_URL), migrated,
 * for the length of one command.
 */
export async function withDeps<T>(work: (deps: Deps) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    return await work({ db: database.db, dialect: database.dialect, config, clock: systemClock });
  } finally {
    await database.close();
  }
}
