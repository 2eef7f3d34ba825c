import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import pg from "pg";
import { DATABASES } from "../helpers.ts";
import { cli, runCli } from "./support.ts";

describe("crowdservice import: a mistyped input leaves no new installation behind", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "cs-cli-missing-"));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const missing = path.join(root, "nothing");
  // Each import with what it refuses before the database is opened (it used to create and migrate one).
  const cases = [
    [["import", "stackexchange", "--dir", missing, "--community", "demo"], `No such directory: ${missing}`],
    [["import", "crowdservice", "--file", missing], `No such file: ${missing}`],
    [["import", "crowdservice", "--file", root], `${root} is not a file.`],
  ] as const;

  test("SQLite: no DATA_DIR and no database are created", async () => {
    const dataDir = path.join(root, "typo");
    for (const [args, message] of cases) {
      const result = await cli(dataDir, ...args);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stderr, `crowdservice: ${message}\n`);
      assert.equal(fs.existsSync(dataDir), false, `${args.join(" ")} created ${dataDir}`);
    }
  });

  for (const database of DATABASES.filter((d) => d.name === "postgres")) {
    test("PostgreSQL: the schema is not created and migrated", async () => {
      const url = (database as { url: string }).url;
      const schema = `cs_test_cli_missing_${process.pid}`;
      const env = { DATA_DIR: path.join(root, "data"), DATABASE_URL: url, DATABASE_SCHEMA: schema };
      const results = [];
      for (const [args] of cases) results.push(await runCli(env, ...args));
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const found = await admin.query("select 1 from pg_namespace where nspname = $1", [schema]);
        if (found.rowCount) await admin.query(`drop schema ${schema} cascade`);
        for (const [i, [, message]] of cases.entries()) {
          assert.equal(results[i].code, 1, results[i].stderr);
          assert.equal(results[i].stderr, `crowdservice: ${message}\n`);
        }
        assert.equal(found.rowCount, 0, "no schema was created");
      } finally {
        await admin.end();
      }
    });
  }
});
