import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { openDatabase } from "../../src/db/database.ts";
import type { Db } from "../../src/db/database.ts";
import { storageFor } from "../../src/storage/storage.ts";
import { backupDatabase, restoreBackup } from "../../src/transfer/index.ts";
import { DATABASES, type TestEnv, createTestEnv } from "../helpers.ts";

/** The writer's rows and its counter, read in one statement. */
async function writes(db: Db): Promise<{ rows: number; counter: number }> {
  const rows = await db
    .selectFrom("settings")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("key", "like", "write:%")
    .where("key", "!=", "write:count")
    .executeTakeFirstOrThrow();
  const counter = await db.selectFrom("settings").select("value").where("key", "=", "write:count").executeTakeFirst();
  return { rows: Number(rows.n), counter: Number(counter?.value ?? 0) };
}

describe("SQLite backup while the server writes, then restore", () => {
  let env: TestEnv;
  let writer: ChildProcess;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "cs-backup-"));
  before(async () => {
    env = await createTestEnv(DATABASES[0], {}, { onDisk: true });
  });
  after(async () => {
    writer?.kill();
    await env.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  test("the backup is one consistent moment with the uploads, and restores into a new DATA_DIR", async () => {
    const photo = Buffer.from("RIFF....WEBPVP8 not really a photo");
    await storageFor(env.deps.config).put("helpers/7/photo-abc.webp", photo, "image/webp");
    writer = spawn(
      process.execPath,
      ["--import", "tsx", path.join(import.meta.dirname, "backup.writer.ts"), env.deps.config.dataDir],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const [first] = await once(writer.stdout!, "data");
    assert.equal(String(first).trim(), "writing");

    const file = path.join(scratch, "backup.sqlite");
    const summary = await backupDatabase(env.deps, file);
    assert.equal(summary.uploads, 1);
    const atBackup = await writes(env.deps.db);
    // The writer went on meanwhile and after.
    let now = atBackup;
    while (now.counter < atBackup.counter + 20) now = await writes(env.deps.db);
    writer.kill();
    await once(writer, "exit");

    const restoredDir = path.join(scratch, "restored");
    assert.deepEqual(await restoreBackup({ dataDir: restoredDir }, file), { uploads: 1 });
    const restored = await openDatabase({ dataDir: restoredDir });
    try {
      const copy = await writes(restored.db);
      assert.ok(copy.rows >= 50, `rows written before the backup are in it (${copy.rows})`);
      assert.equal(copy.counter, copy.rows, "no transaction is cut in half");
      assert.ok(copy.rows <= atBackup.rows && copy.rows < now.rows, "writes after the backup are not");
      const extra = await sql`select name from sqlite_master where name = 'backup_uploads'`.execute(restored.db);
      assert.deepEqual(extra.rows, [], "the uploads went back to files");
    } finally {
      await restored.close();
    }
    assert.deepEqual(fs.readFileSync(path.join(restoredDir, "uploads/helpers/7/photo-abc.webp")), photo);
  });

  test("restore refuses to overwrite a database unless told to, and refuses a file that is no backup", async () => {
    const file = path.join(scratch, "backup.sqlite");
    const restoredDir = path.join(scratch, "restored");
    await assert.rejects(restoreBackup({ dataDir: restoredDir }, file), /pass --force/);
    assert.deepEqual(await restoreBackup({ dataDir: restoredDir }, file, { force: true }), { uploads: 1 });
    const notABackup = path.join(scratch, "notes.txt");
    fs.writeFileSync(notABackup, "hello");
    // Named, so an operator restoring from a script knows which file was wrong.
    const refusal = (error: Error) => error.message === `${notABackup} is not a Crowdservice backup.`;
    await assert.rejects(restoreBackup({ dataDir: path.join(scratch, "other") }, notABackup), refusal);
    assert.equal(fs.existsSync(path.join(scratch, "other")), false, "no DATA_DIR made for a file that is no backup");
    await assert.rejects(restoreBackup({ dataDir: restoredDir }, notABackup, { force: true }), refusal);
    assert.ok(fs.existsSync(path.join(restoredDir, "crowdservice.sqlite")), "the database it would replace stays");
    await assert.rejects(backupDatabase(env.deps, file), /exists already/);
    // Not over a database a server has open: its later writes would go to the replaced file.
    const running = await openDatabase({ dataDir: restoredDir });
    try {
      await sql`select 1`.execute(running.db);
      await assert.rejects(restoreBackup({ dataDir: restoredDir }, file, { force: true }), /in use: stop the server/);
    } finally {
      await running.close();
    }
    assert.deepEqual(await restoreBackup({ dataDir: restoredDir }, file, { force: true }), { uploads: 1 });
  });
});
