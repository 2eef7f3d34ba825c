import type pgModule from "pg";

let driver: Promise<typeof pgModule> | undefined;

/**
 * The PostgreSQL driver, loaded when a PostgreSQL database is first opened: an installation on
 * SQLite never needs it (about 15 MB of resident memory).
 */
export function loadPg(): Promise<typeof pgModule> {
  driver ??= import("pg").then(({ default: pg }) => {
    // PostgreSQL returns int8 (count(*), bigint columns) as strings; our values fit in a double.
    pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
    pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
    return pg;
  });
  return driver;
}
