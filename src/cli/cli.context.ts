import { systemClock } from "../core/clock.ts";
import { loadConfig } from "../core/config.ts";
import type { Deps } from "../core/deps.ts";
import { openDatabase } from "../db/database.ts";

export interface DepsOptions {
  /**
   * The command works on an installation that exists (backup, export, claim-member): a DATA_DIR
   * without a database, or a DATABASE_SCHEMA without an installation, is a mistake (a typo, a cron
   * job's working directory), refused rather than given a new empty database to back up or export.
   */
  existing?: boolean;
}

/**
 * The database of the installation the environment names (DATA_DIR, DATABASE_URL), migrated,
 * for the length of one command.
 */
export async function withDeps<T>(work: (deps: Deps) => Promise<T>, options: DepsOptions = {}): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ ...config, existing: options.existing });
  try {
    return await work({ db: database.db, dialect: database.dialect, config, clock: systemClock });
  } finally {
    await database.close();
  }
}
