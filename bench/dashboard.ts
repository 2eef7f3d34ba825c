/**
 * npm run bench:insights: only the Insights part of `npm run bench`. Seeds the bench corpus
 * (SQLite in a temporary directory; PostgreSQL too when BENCH_DATABASE_URL is set, in a schema of
 * its own, dropped after) and times a year's dashboard: all live, the rollup job, then from the
 * rollups. Prints figures; asserts nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { openDatabase } from "../src/db/database.ts";
import { seed } from "./seed.ts";
import { formatDashboard, timeYearDashboard } from "./insights.ts";
import { machine } from "./report.ts";

const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "crowdservice-bench-insights-"));
const schema = `cs_bench_insights_${process.pid}`;
const postgresUrl = process.env.BENCH_DATABASE_URL;
const databases = [
  { name: "SQLite", location: {} },
  ...(postgresUrl ? [{ name: "PostgreSQL", location: { databaseUrl: postgresUrl, databaseSchema: schema } }] : []),
];

console.log(`${new Date().toISOString().slice(0, 10)}, ${machine()}`);
try {
  for (const database of databases) {
    const handle = await openDatabase({ dataDir: tmpDir, ...database.location });
    try {
      const seeded = await seed(handle.db, handle.dialect);
      console.log(`${database.name}: seeded in ${seeded.seconds.toFixed(1)} s`);
      console.log(formatDashboard(database.name, await timeYearDashboard(handle, seeded.slug)));
    } finally {
      if (postgresUrl && database.name === "PostgreSQL")
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(handle.db);
      await handle.close();
    }
  }
} finally {
  fs.rmSync(tmpDir, { recursive: true, force: true });
}
