import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import pg from "pg";
import { DATABASES } from "../helpers.ts";
import { cli, runCli } from "./support.ts";

describe("crowdservice: commands on an installation never create one", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "cs-cli-existing-"));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test("backup, export and claim-member refuse a DATA_DIR without a database, creating nothing", async () => {
    // A typo in DATA_DIR (or a cron job's working directory): the backup used to create an empty
    // database there, back it up and exit 0.
    const dataDir = path.join(root, "typo");
    const out = path.join(root, "backup.sqlite");
    for (const args of [
      ["backup", "--out", out],
      ["export", "--community", "demo", "--out", path.join(root, "demo.jsonl.gz")],
      ["claim-member", "--user", "7", "--email", "ann@example.com"],
    ]) {
      const result = await cli(dataDir, ...args);
      assert.equal(result.code, 1, `${args[0]}: ${result.stderr}`);
      assert.equal(
        result.stderr
          .split("\n")
          .filter((line) => line.startsWith("crowdservice: "))
          .join("\n"),
        `crowdservice: No database at ${path.join(dataDir, "crowdservice.sqlite")}: ` +
          "set DATA_DIR (or DATABASE_URL) to the installation's.",
        args[0],
      );
      assert.equal(result.stdout, "", args[0]);
      assert.equal(fs.existsSync(dataDir), false, `${args[0]} created no DATA_DIR`);
    }
    assert.equal(fs.existsSync(out), false, "no backup file");
  });

  test("backup on PostgreSQL says to use pg_dump, before it connects", async () => {
    const down = { DATA_DIR: path.join(root, "data"), DATABASE_URL: "postgres://postgres@127.0.0.1:1/nothing" };
    const result = await runCli(down, "backup", "--out", path.join(root, "pg.sqlite"));
    assert.equal(result.code, 1);
    assert.equal(result.stderr, "crowdservice: backup is for SQLite; on PostgreSQL use pg_dump (README).\n");
  });

  for (const database of DATABASES.filter((d) => d.name === "postgres")) {
    test("export and claim-member refuse a PostgreSQL schema without an installation, creating nothing", async () => {
      const url = (database as { url: string }).url;
      const schema = `cs_test_cli_typo_${process.pid}`;
      const env = { DATA_DIR: path.join(root, "data"), DATABASE_URL: url, DATABASE_SCHEMA: schema };
      const results = [
        await runCli(env, "export", "--community", "demo", "--out", path.join(root, "typo.jsonl.gz")),
        await runCli(env, "claim-member", "--user", "7", "--email", "ann@example.com"),
      ];
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const found = await admin.query("select 1 from pg_namespace where nspname = $1", [schema]);
        if (found.rowCount) await admin.query(`drop schema ${schema} cascade`);
        for (const result of results) {
          assert.equal(result.code, 1, result.stderr);
          assert.match(result.stderr, new RegExp(`No installation in schema "${schema}"`));
        }
        assert.equal(found.rowCount, 0, "the schema was not created and migrated");
      } finally {
        await admin.end();
      }
    });

    test("backup on PostgreSQL leaves the database alone (no migration of it)", async () => {
      const url = (database as { url: string }).url;
      const schema = `cs_test_cli_backup_${process.pid}`;
      const result = await runCli(
        { DATA_DIR: path.join(root, "data"), DATABASE_URL: url, DATABASE_SCHEMA: schema },
        "backup",
        "--out",
        path.join(root, "pg.sqlite"),
      );
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const found = await admin.query("select 1 from pg_namespace where nspname = $1", [schema]);
        if (found.rowCount) await admin.query(`drop schema ${schema} cascade`);
        assert.equal(result.code, 1);
        assert.match(result.stderr, /use pg_dump/);
        assert.equal(found.rowCount, 0, "the schema was not created and migrated");
      } finally {
        await admin.end();
      }
    });
  }
});
