import { test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { openDatabase } from "../../src/db/database.ts";
import { randomToken } from "../../src/lib/crypto.ts";
import { until } from "../helpers.ts";

const url = process.env.TEST_DATABASE_URL;
const name = () =>
  `cs_start_${process.pid}_${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;

/**
 * Instances started together on a new schema (a first deployment with two replicas) each create
 * the schema and migrate it at once. PostgreSQL's `create schema if not exists` fails with a
 * unique violation when another session creates the same schema meanwhile, which stopped an
 * instance from starting. Made certain here: another session holds the schema's creation open
 * until both instances wait on it, then commits.
 */
test("instances starting together on a new schema all start", {
  skip: !url && "PostgreSQL only",
}, async () => {
  const schema = name();
  const admin = new pg.Client({ connectionString: url });
  // Another session: one in a transaction sees pg_stat_activity as it was when the transaction began.
  const watcher = new pg.Client({ connectionString: url });
  await admin.connect();
  await watcher.connect();
  const handles: Awaited<ReturnType<typeof openDatabase>>[] = [];
  try {
    await admin.query("begin");
    await admin.query(`create schema ${schema}`);
    const open = () => openDatabase({ dataDir: "", databaseUrl: url, databaseSchema: schema });
    const starting = Promise.allSettled([open(), open()]);
    await until("both instances waiting to create the schema", async () => {
      const { rows } = await watcher.query(
        `select count(*)::int as n from pg_stat_activity
         where wait_event_type = 'Lock' and query ilike 'create schema%' and query like $1`,
        [`%${schema}%`],
      );
      return rows[0].n === 2;
    });
    await admin.query("commit");
    const started = await starting;
    for (const s of started) if (s.status === "fulfilled") handles.push(s.value);
    const errors = started.flatMap((s) => (s.status === "rejected" ? [String(s.reason)] : []));
    assert.deepEqual(errors, [], "both instances start");
    for (const handle of handles) assert.deepEqual(await handle.db.selectFrom("users").select("id").execute(), []);
  } finally {
    for (const handle of handles) await handle.close();
    await admin.query("rollback").catch(() => undefined);
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
    await watcher.end();
  }
});
