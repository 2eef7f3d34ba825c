import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import type pg from "pg";
import { loadPg } from "./pg.ts";
import { Kysely, SqliteDialect, sql, type SqliteDatabase } from "kysely";
import { CamelCaseRowsPlugin } from "./camel-case-rows.ts";
import type { Database } from "./schema.ts";
import { migrateToLatest } from "./migrate.ts";
import type { Dialect } from "./dialect.ts";
import { OwnSchemaPostgresDialect } from "./own-schema.ts";
import { statementName } from "./statement-names.ts";
import { WriteWatch } from "./write-watch.ts";
import { InlineLimitsPlugin } from "./inline-limits.ts";

export type { Dialect } from "./dialect.ts";
export type { WriteWatch } from "./write-watch.ts";

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** Every committed write, by table (the page cache invalidates from it). */
  writes: WriteWatch;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL schema; created when missing. */
  databaseSchema?: string;
  /** SQLite file name inside dataDir, or ":memory:". */
  sqliteFile?: string;
  /** SQLite's page cache in megabytes (SQLITE_CACHE_MB below unless set). */
  sqliteCacheMb?: number;
  /** Where a lost PostgreSQL connection is reported; the standard error unless set. */
  logConnectionError?: (error: Error) => void;
  /**
   * Only an installation that exists: a missing SQLite file, or a PostgreSQL schema without this app's
   * migrations, is an error rather than a new empty database (commands on an installation: backup, export).
   */
  existing?: boolean;
}

const logToStderr = (error: Error) => console.error(`database connection lost: ${error.message}`);

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

// The PostgreSQL pool behind each Kysely instance, for the operator's metrics.
const pools = new WeakMap<Db, pg.Pool>();

/** Connections of the database's pool (PostgreSQL), or null for SQLite's single connection. */
export function poolStats(db: Db): PoolStats | null {
  const pool = pools.get(db);
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const handle = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.databaseSchema, {
        logConnectionError: options.logConnectionError ?? logToStderr,
        existing: options.existing ?? false,
      })
    : openSqlite(options);
  await migrateToLatest(handle.db, options.databaseUrl ? options.databaseSchema : undefined);
  return handle;
}

/**
 * SQLite's page cache, in megabytes. better-sqlite3 builds SQLite with 16 MB, which a busy
 * instance fills and keeps (its RSS) while the operating system caches the same file anyway:
 * pages read again come from there at the cost of a copy. 4 MB holds what pages and lists read
 * over and over (users, communities, categories, indexes' upper levels). Measured under the
 * bench's load (README, "Speed"): peak RSS 148-151 -> 137-140 MB, CPU per request within noise.
 */
export const SQLITE_CACHE_MB = 4;

/** The SQLite database's file in DATA_DIR. */
export const SQLITE_FILE = "crowdservice.sqlite";

function openSqlite(options: DatabaseOptions): DatabaseHandle {
  const file = options.sqliteFile ?? SQLITE_FILE;
  if (options.existing && (file === ":memory:" || !fs.existsSync(path.join(options.dataDir, file))))
    throw new Error(
      `No database at ${path.join(options.dataDir, file)}: set DATA_DIR (or DATABASE_URL) to the installation's.`,
    );
  if (file !== ":memory:") fs.mkdirSync(options.dataDir, { recursive: true });
  const sqlite = new SQLite(file === ":memory:" ? file : path.join(options.dataDir, file));
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  // A negative cache_size is in KiB.
  sqlite.pragma(`cache_size = -${(options.sqliteCacheMb ?? SQLITE_CACHE_MB) * 1024}`);
  const writes = new WriteWatch();
  const db = new Kysely<Database>({
    dialect: writes.wrap(new SqliteDialect({ database: withStatementCache(sqlite) })),
    plugins: [new CamelCaseRowsPlugin(), new InlineLimitsPlugin()],
  });
  return { db, dialect: "sqlite", writes, close: () => db.destroy() };
}

/**
 * Kysely sends every query unnamed, which PostgreSQL parses and plans on each call. The SQL of a
 * prepared query, or of one run with executeNamed (prepared.ts), goes as a named statement
 * instead: parsed once per connection, and planned once when PostgreSQL finds the generic plan
 * no dearer than planning for each call's values (after five calls). A schema change under a
 * running instance (another instance migrated) can make a kept statement's result columns
 * wrong, which PostgreSQL refuses with 0A000: that connection then sends that SQL unnamed.
 */
function sendPreparedByName(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const outdated = new Set<string>();
  client.query = ((...args: unknown[]) => {
    const [text, values] = args;
    const name =
      args.length === 2 && typeof text === "string" && Array.isArray(values) && !outdated.has(text)
        ? statementName(text)
        : undefined;
    if (!name) return query(...args);
    return query({ name, text, values }).catch((error: { code?: string }) => {
      if (error?.code !== "0A000") throw error;
      outdated.add(text as string);
      return query(text, values);
    });
  }) as pg.PoolClient["query"];
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; better-sqlite3 statements can be reused, and preparing was
 * a measurable share of a page's CPU time. Keeps the most recently used statements by SQL text.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // re-insert below: Map order is least recently used first
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/**
 * No parallel query: the app runs many short queries at once on a few cores, and the planner
 * launched two workers for a union of index scans that reads 300 rows in a millisecond (the
 * Insights page's live day), whose start-up took 50-85 ms on a busy 2-core machine.
 */
const SESSION_SETTINGS = "-c max_parallel_workers_per_gather=0";

/** The longest schema name: 63 (PostgreSQL's identifiers) less the longest channel prefix, "cs_pages_". */
const SCHEMA_NAME_MAX = 54;

async function openPostgres(
  connectionString: string,
  schema: string | undefined,
  { logConnectionError, existing }: { logConnectionError: (error: Error) => void; existing: boolean },
): Promise<DatabaseHandle> {
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid database schema name "${schema}"`);
  // The live and page-cache channels are named after the schema ("cs_pages_" + it), and PostgreSQL
  // cuts identifiers at 63 bytes: a longer name would make every NOTIFY of theirs fail.
  if (schema && schema.length > SCHEMA_NAME_MAX)
    throw new Error(`The database schema name "${schema}" is too long: ${SCHEMA_NAME_MAX} characters at most.`);
  const { Pool } = await loadPg();
  const pool = new Pool({
    connectionString,
    max: 10,
    // A failover or an unreachable server fails the request instead of queueing it forever.
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    options: [SESSION_SETTINGS, ...(schema ? [`-c search_path=${schema}`] : [])].join(" "),
  });
  // A dropped connection (failover, restart, pg_terminate_backend, a proxy's idle timeout) is an
  // "error" event, and an unhandled one ends the process. The pool reports idle connections and
  // replaces them; a connection in use fails its query (that request's error), and the pool
  // discards it when it comes back. Either way the next query gets a fresh connection.
  pool.on("error", logConnectionError);
  pool.on("connect", (client) => {
    client.on("error", () => undefined);
    sendPreparedByName(client);
  });
  const writes = new WriteWatch();
  const db = new Kysely<Database>({
    dialect: writes.wrap(new OwnSchemaPostgresDialect({ pool }, schema)),
    plugins: [new CamelCaseRowsPlugin()],
  });
  pools.set(db, pool);
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    const where = new URL(connectionString);
    where.password = "";
    throw new Error(`Cannot connect to the database at ${where.host}${where.pathname}: ${(error as Error).message}`);
  }
  try {
    if (existing) await assertInstalled(db, schema, connectionString);
    else if (schema) await createSchema(db, schema);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, dialect: "postgres", writes, close: () => db.destroy() };
}

/** Refuses a schema (the connection's own when none is named) that holds no migrations of this app. */
async function assertInstalled(db: Db, schema: string | undefined, connectionString: string): Promise<void> {
  const found = await sql`select 1 from information_schema.tables
    where table_schema = coalesce(${schema ?? null}, current_schema()) and table_name = 'kysely_migration'`.execute(db);
  if (found.rows.length > 0) return;
  const where = new URL(connectionString);
  where.password = "";
  throw new Error(
    `No installation in schema "${schema ?? "public"}" at ${where.host}${where.pathname}: ` +
      "set DATABASE_URL and DATABASE_SCHEMA to the installation's.",
  );
}

/**
 * Creates the schema unless it exists. `create schema if not exists` fails with a unique violation
 * when another session creates it meanwhile (instances started together on a new schema): it is
 * there all the same, so that instance starts too (`test/db/concurrent-start.test.ts`).
 */
async function createSchema(db: Db, schema: string): Promise<void> {
  const exists = async () =>
    (await sql`select 1 from pg_catalog.pg_namespace where nspname = ${schema}`.execute(db)).rows.length > 0;
  if (await exists()) return;
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    if (!(await exists())) throw error;
  }
}
