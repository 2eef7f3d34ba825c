import { test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { openDatabase } from "../../src/db/database.ts";
import { randomToken } from "../../src/lib/crypto.ts";

const url = process.env.TEST_DATABASE_URL;
const name = (prefix: string) =>
  `${prefix}_${process.pid}_${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;

/**
 * Several installations (or test runs) share one PostgreSQL server. Migrating one schema while
 * another is being dropped must not fail: Kysely's migrator used to scan every schema's catalog
 * and stumble on "schema ... does not exist" for the one going away.
 */
test("migrating a schema while other schemas are created and dropped", {
  skip: !url && "PostgreSQL only",
}, async () => {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  let churning = true;
  const churn = (async () => {
    while (churning) {
      const other = name("cs_churn");
      await admin.query(`create schema ${other}`);
      await admin.query(`create table ${other}.t (id serial primary key, a text, b text, c text)`);
      await admin.query(`drop schema ${other} cascade`);
    }
  })();
  const schemas: string[] = [];
  try {
    for (let i = 0; i < 12; i++) {
      const schema = name("cs_mig");
      schemas.push(schema);
      const handle = await openDatabase({ dataDir: "", databaseUrl: url, databaseSchema: schema });
      assert.ok(await handle.db.selectFrom("users").select("id").limit(1).execute());
      await handle.close();
    }
  } finally {
    churning = false;
    await churn;
    for (const schema of schemas) await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
});
