import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { openDatabase } from "../../src/db/database.ts";

test("SQLite opens with WAL, foreign keys and temporary b-trees in memory", async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-sqlite-settings-"));
  const handle = await openDatabase({ dataDir });
  try {
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(handle.db)).rows[0] as object)[0];
    assert.equal(await pragma("journal_mode"), "wal");
    assert.equal(await pragma("foreign_keys"), 1);
    // 2 = MEMORY: a sort or IN list that needs a temporary b-tree opens no temporary file.
    assert.equal(await pragma("temp_store"), 2);
  } finally {
    await handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
