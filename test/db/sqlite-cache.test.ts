import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { loadConfig } from "../../src/core/config.ts";
import { openDatabase, SQLITE_CACHE_MB } from "../../src/db/database.ts";

/** SQLite's cache_size of a fresh database opened with these options (negative: KiB). */
async function cacheSizeWith(options: { sqliteCacheMb?: number }): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-sqlite-cache-"));
  const handle = await openDatabase({ dataDir, ...options });
  try {
    const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(handle.db);
    return Number(Object.values(rows[0])[0]);
  } finally {
    await handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

test("SQLite's page cache is SQLITE_CACHE_MB unless configured, not better-sqlite3's 16 MB", async () => {
  assert.equal(SQLITE_CACHE_MB, 4);
  assert.equal(await cacheSizeWith({}), -4 * 1024);
  assert.equal(await cacheSizeWith({ sqliteCacheMb: 32 }), -32 * 1024);
});

test("SQLITE_CACHE_MB in the environment sets it; a bad value stops the start", () => {
  assert.equal(loadConfig({}).sqliteCacheMb, undefined);
  assert.equal(loadConfig({ SQLITE_CACHE_MB: "12" }).sqliteCacheMb, 12);
  assert.throws(() => loadConfig({ SQLITE_CACHE_MB: "lots" }), /SQLITE_CACHE_MB must be a non-negative integer/);
});
