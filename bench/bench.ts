/**
 * npm run bench: seeds a fresh database (SQLite; PostgreSQL too when BENCH_DATABASE_URL is set),
 * starts the real app on 127.0.0.1 and loads its read paths with autocannon, next to a bare
 * node:http server answering the same bytes. Prints figures; asserts nothing.
 *
 *   BENCH_SECONDS=5          measured seconds per line (after a 1 s warm-up)
 *   BENCH_CONNECTIONS=10     concurrent keep-alive connections
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test   also run on PostgreSQL (own schema, dropped after)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase } from "../src/db/database.ts";
import { ensureIndexed } from "../src/search/search.index.ts";
import { systemClock } from "../src/core/clock.ts";
import { loadConfig } from "../src/core/config.ts";
import { createSession } from "../src/accounts/accounts.service.ts";
import { SESSION_COOKIE } from "../src/accounts/session-cookie.ts";
import { seed, type SeedResult } from "./seed.ts";
import { load, probe, ServerProcess, describeStart, warmUp, type LoadOptions, type LoadResult } from "./runner.ts";
import { formatCounts, formatTable, machine, megabytes, type Line } from "./report.ts";
import type { StaticPage } from "./protocol.ts";
import { SEARCHES, SIMILAR_TITLES } from "./queries.ts";
import { formatDashboard, timeYearDashboard } from "./insights.ts";

/**
 * What is measured: one line per endpoint. A new endpoint (search, similar questions) is one more entry.
 * `member`: requested with a signed-in member's session cookie (a path of its own for the reference server).
 */
const TARGETS: { name: string; member?: boolean; paths(seeded: SeedResult): string[] }[] = [
  { name: "topic list page", paths: (s) => [`/c/${s.slug}`] },
  { name: "topic page (10 replies)", paths: (s) => s.typicalTopicPaths.slice(0, 50) },
  {
    name: "signed-in topic page",
    member: true,
    paths: (s) => s.typicalTopicPaths.slice(0, 50).map((p) => `${p}?member`),
  },
  { name: "API topic list", paths: (s) => [`/api/v1/communities/${s.slug}/topics`] },
  { name: "API topic (10 replies)", paths: (s) => s.typicalTopicIds.slice(0, 50).map((id) => `/api/v1/topics/${id}`) },
  { name: "search page", paths: (s) => SEARCHES.map((q) => `/c/${s.slug}/search?q=${encodeURIComponent(q)}`) },
  {
    name: "API search",
    paths: (s) => SEARCHES.map((q) => `/api/v1/communities/${s.slug}/search?q=${encodeURIComponent(q)}`),
  },
  {
    name: "API similar questions",
    paths: (s) => SIMILAR_TITLES.map((t) => `/api/v1/communities/${s.slug}/similar?title=${encodeURIComponent(t)}`),
  },
  // Kept 5 minutes per process: this measures serving the cached document; bench/sitemap.ts times building it.
  { name: "topics sitemap (cached)", paths: (s) => [`/c/${s.slug}/sitemap-topics.xml?after=0`] },
  { name: "Atom feed, latest topics", paths: (s) => [`/c/${s.slug}/feeds/latest`] },
];

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer.`);
  return value;
}

/** BENCH_ONLY="search,similar" measures only the endpoints whose names contain one of the words. */
const only = process.env.BENCH_ONLY?.split(",").map((word) => word.trim().toLowerCase());
const selected = (target: { name: string }) => !only || only.some((word) => target.name.toLowerCase().includes(word));

const options: LoadOptions = {
  seconds: positiveInt("BENCH_SECONDS", 5),
  connections: positiveInt("BENCH_CONNECTIONS", 10),
};
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "crowdservice-bench-"));
const schema = `cs_bench_${process.pid}`;
const postgresUrl = process.env.BENCH_DATABASE_URL;
const databases: { name: string; location: { databaseUrl?: string; databaseSchema?: string } }[] = [
  { name: "SQLite", location: {} },
  ...(postgresUrl ? [{ name: "PostgreSQL", location: { databaseUrl: postgresUrl, databaseSchema: schema } }] : []),
];

const log = (message: string) => console.log(message);
const lines: Line[] = [];
const memory: string[] = [];
const insights: string[] = [];
/** The bytes each endpoint answered, served again by the bare node:http reference. */
const reference = new Map<string, StaticPage[]>();
const running = new Set<ServerProcess>();

async function measureServer(
  server: ServerProcess,
  label: string,
  name: string,
  paths: string[],
  headers: Record<string, string> = {},
): Promise<{ result?: LoadResult; pages?: StaticPage[]; status?: number }> {
  const probed = await probe(server.baseUrl, paths, headers);
  if (!probed.ok) return { status: probed.status };
  log(`  ${label}: ${name} (${paths.length === 1 ? paths[0] : `${paths.length} paths like ${paths[0]}`})`);
  await warmUp(server, paths, options, headers);
  return { result: await load(server, paths, options, headers), pages: probed.pages };
}

async function benchDatabase(database: (typeof databases)[number]): Promise<void> {
  log(`Seeding ${database.name}...`);
  const handle = await openDatabase({ dataDir: tmpDir, ...database.location });
  let seeded: SeedResult;
  let member: Record<string, string>;
  try {
    seeded = await seed(handle.db, handle.dialect);
    const deps = { db: handle.db, dialect: handle.dialect, clock: systemClock, config: loadConfig({}) };
    member = { cookie: `${SESSION_COOKIE}=${await createSession(deps, 1)}` };
    // The seed writes rows directly; the search index is filled the way a start-up backfill does it.
    const indexStart = performance.now();
    const indexed = await ensureIndexed({ db: handle.db, dialect: handle.dialect, clock: systemClock });
    log(`  indexed ${indexed} topics for search in ${((performance.now() - indexStart) / 1000).toFixed(1)} s`);
    const figure = formatDashboard(database.name, await timeYearDashboard(handle, seeded.slug));
    log(`  ${figure}`);
    insights.push(figure);
  } finally {
    // On SQLite, closing also checkpoints the WAL, so the app starts on a settled file.
    await handle.close();
  }
  log(`  ${formatCounts(seeded.counts)} in ${seeded.seconds.toFixed(1)} s`);

  const server = await ServerProcess.start({ kind: "app", dataDir: tmpDir, ...database.location });
  running.add(server);
  for (const target of TARGETS.filter(selected)) {
    const paths = target.paths(seeded);
    const measured = await measureServer(server, database.name, target.name, paths, target.member ? member : {});
    if (measured.pages && !reference.has(target.name)) reference.set(target.name, measured.pages);
    lines.push({
      server: database.name,
      name: target.name,
      bytes: measured.pages?.[0].body.length,
      result: measured.result,
      skipped:
        measured.status === 404
          ? "page not available (HTTP 404)"
          : measured.status
            ? `not available (HTTP ${measured.status})`
            : undefined,
    });
    log(`    peak RSS so far ${megabytes((await server.usage()).maxRssKb)}`);
  }
  memory.push(`app on ${database.name} ${megabytes((await server.usage()).maxRssKb)}`);
  await server.stop();
  running.delete(server);
}

async function benchReference(): Promise<void> {
  const server = await ServerProcess.start({ kind: "static", pages: [...reference.values()].flat() });
  running.add(server);
  for (const target of TARGETS.filter(selected)) {
    const pages = reference.get(target.name);
    if (!pages) continue;
    const { result } = await measureServer(
      server,
      "bare node:http",
      target.name,
      pages.map((p) => p.path),
    );
    lines.push({ server: "bare node:http", name: target.name, bytes: pages[0].body.length, result });
    for (const line of lines)
      if (line.name === target.name && line.server !== "bare node:http") line.reference = result;
  }
  memory.push(`bare node:http ${megabytes((await server.usage()).maxRssKb)}`);
  await server.stop();
  running.delete(server);
}

async function cleanUp(): Promise<void> {
  for (const server of running) server.kill();
  if (postgresUrl) {
    // A client of its own: the schema exists even when opening or migrating it failed.
    const client = new pg.Client({ connectionString: postgresUrl });
    try {
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
    } catch (error) {
      console.error(
        `Could not drop the PostgreSQL schema ${schema}: ${error instanceof Error ? error.message : error}`,
      );
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  fs.rmSync(tmpDir, { recursive: true, force: true });
}

process.once("SIGINT", () => {
  for (const server of running) server.kill();
  fs.rmSync(tmpDir, { recursive: true, force: true });
  if (postgresUrl) console.error(`Interrupted: drop the PostgreSQL schema ${schema} if it is still there.`);
  process.exit(130);
});

try {
  log(`Crowdservice bench: ${options.seconds} s x ${options.connections} connections per line, 127.0.0.1`);
  log(`Machine: ${machine()}`);
  log(`Server: compiled dist/, ${describeStart("sqlite")} on SQLite, ${describeStart("postgres")} on PostgreSQL\n`);
  for (const database of databases) {
    try {
      await benchDatabase(database);
    } catch (error) {
      // One database failing (say, PostgreSQL unreachable) still leaves the other's figures.
      const message = error instanceof Error ? error.message : String(error);
      console.error(`${database.name} failed: ${message}`);
      for (const server of running) server.kill();
      running.clear();
      lines.push({ server: database.name, name: "(all)", skipped: `failed: ${message}` });
      process.exitCode = 1;
    }
  }
  if (reference.size > 0) await benchReference();
  memory.push(`bench process (seeding, load generator) ${megabytes(process.resourceUsage().maxRSS)}`);
  log(`\n${new Date().toISOString().slice(0, 10)}, ${machine()}`);
  log(
    `${options.seconds} s x ${options.connections} connections per line; CPU ms/req is the server process's CPU ` +
      "time per request, PG CPU ms/req PostgreSQL's (all its processes on this machine).\n",
  );
  log(formatTable(lines));
  log(`\nPeak RSS: ${memory.join(", ")}`);
  for (const figure of insights) log(figure);
} finally {
  await cleanUp();
}
