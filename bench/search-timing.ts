/**
 * npm run bench:search: seeds the bench corpus once (10,000 topics, 100,000 replies; every post
 * mentions the router), indexes it, and times the API search, the search page and the API similar
 * questions in process (the real app, through fastify's inject): per query type, the median and
 * p95 of each request, one request at a time. SQLite, or PostgreSQL with BENCH_DATABASE_URL.
 * BENCH_KEEP=DIR keeps the seeded database there (SQLite file, or a PostgreSQL schema named after
 * DIR's last part) and reuses it on the next run. Asserts nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { buildApp } from "../src/app/app.ts";
import { installRegistries } from "../src/app/registry.ts";
import { systemClock } from "../src/core/clock.ts";
import { loadConfig } from "../src/core/config.ts";
import { openDatabase } from "../src/db/database.ts";
import { ensureIndexed } from "../src/search/search.index.ts";
import {
  COMMON_WORD_SEARCHES,
  COMMON_WORD_SIMILAR_TITLES,
  SEARCHES as BENCH_SEARCHES,
  SIMILAR_TITLES as BENCH_SIMILAR_TITLES,
} from "./queries.ts";
import { seed } from "./seed.ts";

const SEARCHES = [...BENCH_SEARCHES, ...COMMON_WORD_SEARCHES];
const SIMILAR_TITLES = [...BENCH_SIMILAR_TITLES, ...COMMON_WORD_SIMILAR_TITLES];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

const postgresUrl = process.env.BENCH_DATABASE_URL;
const keep = process.env.BENCH_KEEP;
const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "crowdservice-search-timing-"));
fs.mkdirSync(dir, { recursive: true });
const schema = keep ? `cs_keep_${path.basename(keep).replace(/[^a-z0-9_]/gi, "_")}` : `cs_timing_${process.pid}`;
const sqliteFile = "bench.sqlite";
const reuse = keep !== undefined && (postgresUrl ? false : fs.existsSync(path.join(dir, sqliteFile)));
installRegistries();
const config = {
  ...loadConfig({}),
  dataDir: dir,
  seedDemo: false,
  ...(postgresUrl ? { databaseUrl: postgresUrl, databaseSchema: schema } : { sqliteFile }),
};
const handle = await openDatabase(config);
const { db, dialect } = handle;
const seeded =
  reuse ||
  (postgresUrl && keep && (await sql`select 1 from ${sql.id(schema, "search_stats")} limit 1`.execute(db)).rows.length);
if (!seeded) {
  console.log(`Seeding ${dialect}...`);
  await seed(db, dialect);
  await ensureIndexed({ db, dialect, clock: systemClock });
  // Autovacuum would soon mark the bulk-loaded postings all-visible (index-only scans): do it now.
  if (dialect === "postgres") await sql`vacuum analyze search_postings, search_documents`.execute(db);
  if (dialect === "postgres") await sql`analyze`.execute(db);
}
const app = await buildApp({ db, dialect, writes: handle.writes, config, clock: systemClock }, { logger: false });
try {
  const targets = [
    { name: "API search", paths: SEARCHES.map((q) => `/api/v1/communities/bench/search?q=${encodeURIComponent(q)}`) },
    { name: "search page", paths: SEARCHES.map((q) => `/c/bench/search?q=${encodeURIComponent(q)}`) },
    {
      name: "API similar",
      paths: SIMILAR_TITLES.map((t) => `/api/v1/communities/bench/similar?title=${encodeURIComponent(t)}`),
    },
  ];
  const percentile = (sorted: number[], p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const verbose = process.env.BENCH_VERBOSE === "1";
  for (const target of targets) {
    const all: number[] = [];
    for (const url of target.paths) {
      const times: number[] = [];
      for (let i = 0; i < ROUNDS + 2; i++) {
        const started = performance.now();
        const response = await app.inject({ method: "GET", url });
        const ms = performance.now() - started;
        if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode}`);
        if (i >= 2) times.push(ms); // the first two warm caches and plans
      }
      times.sort((a, b) => a - b);
      all.push(...times);
      if (verbose)
        console.log(
          `  ${target.name.padEnd(12)} ${decodeURIComponent(url.split("=")[1]).padEnd(48)}` +
            ` median ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms`,
        );
    }
    all.sort((a, b) => a - b);
    console.log(
      `${dialect.padEnd(8)} ${target.name.padEnd(12)} median ${percentile(all, 0.5).toFixed(1)} ms,` +
        ` p95 ${percentile(all, 0.95).toFixed(1)} ms (${all.length} requests)`,
    );
  }
} finally {
  await app.close();
  if (dialect === "postgres" && !keep) await sql`drop schema ${sql.id(schema)} cascade`.execute(db);
  await handle.close();
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
}
