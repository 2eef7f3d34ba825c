import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import type { Config } from "../core/config.ts";
import type { Deps } from "../core/deps.ts";
import { SQLITE_FILE } from "../db/database.ts";
import { badRequest, conflict } from "../core/errors.ts";
import type { Progress } from "./transfer.community.ts";

/**
 * A backup is one SQLite file: a snapshot of the database taken with VACUUM INTO (a read
 * transaction: the server keeps writing meanwhile, the copy is one consistent moment) and, in an
 * extra table, the files under DATA_DIR/uploads. `restore` puts both back.
 */
const UPLOADS_TABLE = "backup_uploads";

function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith(".tmp"))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"));
}

export async function backupDatabase(
  deps: Pick<Deps, "db" | "dialect" | "config">,
  out: string,
  onProgress?: (progress: Progress) => void,
): Promise<{ uploads: number }> {
  if (deps.dialect !== "sqlite") throw badRequest("backup is for SQLite; on PostgreSQL use pg_dump (README).");
  if (fs.existsSync(out)) throw conflict(`${out} exists already; choose a new file.`);
  const partial = `${out}.partial`;
  fs.rmSync(partial, { force: true });
  await sql`vacuum into ${partial}`.execute(deps.db);
  const uploadsDir = path.join(deps.config.dataDir, "uploads");
  const keys = filesUnder(uploadsDir);
  const backup = new SQLite(partial);
  try {
    backup.exec(`create table ${UPLOADS_TABLE} (key text primary key, bytes blob not null)`);
    const insert = backup.prepare(`insert into ${UPLOADS_TABLE} (key, bytes) values (?, ?)`);
    for (const [i, key] of keys.entries()) {
      const file = path.join(uploadsDir, key);
      // An upload deleted since the snapshot no longer matters.
      if (fs.existsSync(file)) insert.run(key, fs.readFileSync(file));
      onProgress?.({ phase: "Uploads", done: i + 1, total: keys.length });
    }
  } finally {
    backup.close();
  }
  fs.renameSync(partial, out);
  return { uploads: keys.length };
}

/**
 * Refuses to replace a database a server still has open: leaving WAL mode needs every other
 * connection gone, so it fails at once while one is (the server would go on writing to the
 * replaced file, and lose it). When it succeeds, what the WAL held is in the file.
 */
function refuseWhileOpen(target: string): void {
  if (!fs.existsSync(target)) return;
  const existing = new SQLite(target, { timeout: 0 });
  try {
    if (existing.pragma("journal_mode = DELETE", { simple: true }) !== "delete") throw new Error("still in WAL mode");
  } catch {
    throw conflict(`${target} is in use: stop the server before restoring.`);
  } finally {
    existing.close();
  }
}

/**
 * Puts a backup in place as DATA_DIR's database and uploads. The server must be stopped; an
 * existing database is replaced only with `force`.
 */
const isNotADatabase = (error: Error) => (error as { code?: string }).code === "SQLITE_NOTADB";

export async function restoreBackup(
  config: Pick<Config, "dataDir" | "databaseUrl">,
  file: string,
  options: { force?: boolean } = {},
): Promise<{ uploads: number }> {
  if (config.databaseUrl) throw badRequest("restore is for SQLite; on PostgreSQL use pg_restore (README).");
  if (!fs.existsSync(file)) throw badRequest(`No such file: ${file}`);
  if (!fs.statSync(file).isFile()) throw badRequest(`${file} is not a file.`);
  const target = path.join(config.dataDir, SQLITE_FILE);
  if (fs.existsSync(target) && !options.force)
    throw conflict(`${target} exists; stop the server and pass --force to replace it.`);
  refuseWhileOpen(target);
  // A DATA_DIR made here for a file that turns out no backup goes again: a typo leaves nothing behind.
  const madeDataDir = !fs.existsSync(config.dataDir);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const partial = `${target}.restoring`;
  fs.copyFileSync(file, partial);
  const restored = new SQLite(partial);
  let uploads = 0;
  try {
    const check = restored.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw badRequest(`${file} is not a sound backup: ${String(check)}`);
    const rows = restored.prepare(`select key, bytes from ${UPLOADS_TABLE}`).all() as { key: string; bytes: Buffer }[];
    for (const { key, bytes } of rows) {
      const destination = path.join(config.dataDir, "uploads", ...key.split("/"));
      if (!destination.startsWith(path.join(config.dataDir, "uploads") + path.sep)) continue;
      fs.mkdirSync(path.dirname(destination), { recursive: true });
      fs.writeFileSync(destination, bytes);
      uploads += 1;
    }
    restored.exec(`drop table ${UPLOADS_TABLE}`);
  } catch (error) {
    restored.close();
    fs.rmSync(madeDataDir ? config.dataDir : partial, { recursive: madeDataDir, force: true });
    // Another SQLite database (no uploads table) or no database at all (SQLite's "file is not a database").
    const notBackup = error instanceof Error && (/no such table/.test(error.message) || isNotADatabase(error));
    throw notBackup ? badRequest(`${file} is not a Crowdservice backup.`) : error;
  }
  restored.close();
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${target}${suffix}`, { force: true });
  fs.renameSync(partial, target);
  return { uploads };
}
