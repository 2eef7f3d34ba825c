import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { CamelCasePlugin, Kysely, SqliteDialect, sql } from "kysely";
import { migrateToLatest } from "./migrate.js";
import { OwnSchemaPostgresDialect } from "./own-schema.js";
import { WriteWatch } from "./write-watch.js";
// PostgreSQL returns int8 (count(*), bigint columns) as strings; our values fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
export async function openDatabase(options) {
    const handle = options.databaseUrl
        ? await openPostgres(options.databaseUrl, options.databaseSchema)
        : openSqlite(options);
    await migrateToLatest(handle.db, options.databaseUrl ? options.databaseSchema : undefined);
    return handle;
}
function openSqlite(options) {
    const file = options.sqliteFile ?? "crowdservice.sqlite";
    if (file !== ":memory:")
        fs.mkdirSync(options.dataDir, { recursive: true });
    const sqlite = new SQLite(file === ":memory:" ? file : path.join(options.dataDir, file));
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("busy_timeout = 5000");
    const writes = new WriteWatch();
    const db = new Kysely({
        dialect: writes.wrap(new SqliteDialect({ database: withStatementCache(sqlite) })),
        plugins: [new CamelCasePlugin()],
    });
    return { db, dialect: "sqlite", writes, close: () => db.destroy() };
}
const STATEMENT_CACHE_SIZE = 500;
/**
 * Kysely prepares every query anew; better-sqlite3 statements can be reused, and preparing was
 * a measurable share of a page's CPU time. Keeps the most recently used statements by SQL text.
 */
function withStatementCache(sqlite) {
    const cache = new Map();
    return {
        close: () => sqlite.close(),
        prepare: (sql) => {
            let statement = cache.get(sql);
            if (statement) {
                cache.delete(sql); // re-insert below: Map order is least recently used first
            }
            else {
                statement = sqlite.prepare(sql);
                if (cache.size >= STATEMENT_CACHE_SIZE)
                    cache.delete(cache.keys().next().value);
            }
            cache.set(sql, statement);
            return statement;
        },
    };
}
async function openPostgres(connectionString, schema) {
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema))
        throw new Error(`Invalid database schema name "${schema}"`);
    const pool = new pg.Pool({
        connectionString,
        max: 10,
        ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    const writes = new WriteWatch();
    const db = new Kysely({
        dialect: writes.wrap(new OwnSchemaPostgresDialect({ pool }, schema)),
        plugins: [new CamelCasePlugin()],
    });
    if (schema)
        await sql `create schema if not exists ${sql.id(schema)}`.execute(db);
    return { db, dialect: "postgres", writes, close: () => db.destroy() };
}
