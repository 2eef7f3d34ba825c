import fs from "node:fs";
import path from "node:path";
import { systemClock } from "../core/clock.ts";
import { loadConfig } from "../core/config.ts";
import type { Deps } from "../core/deps.ts";
import { badRequest } from "../core/errors.ts";
import { openDatabase, SQLITE_FILE } from "../db/database.ts";

export interface DepsOptions {
  /**
   * The command works on an installation that exists (backup, export, claim-member): a DATA_DIR
   * without a database is a mistake (a typo, a cron job's working directory), refused before
   * opening, which would create and migrate an empty database there and back that up.
   */
  existing?: boolean;
}

/**
 * The database of the installation the environment names (DATA_DIR, DATABASE_URL), migrated,
 * for the length of one command.
 */
export async function withDeps<T>(work: (deps: Deps) => Promise<T>, options: DepsOptions = {}): Promise<T> {
  const config = loadConfig();
  if (options.existing && !config.databaseUrl) {
    const file = path.join(config.dataDir, SQLITE_FILE);
    if (!fs.existsSync(file))
      throw badRequest(`No database at ${file}: set DATA_DIR (or DATABASE_URL) to the installation's.`);
  }
  const database = await openDatabase(config);
  try {
    return await work({ db: database.db, dialect: database.dialect, config, clock: systemClock });
  } finally {
    await database.close();
  }
}
