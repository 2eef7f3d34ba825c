import type { Dialect } from "../db/database.ts";
import type { SearchBackend } from "./search.backend.ts";
import { postgresBackend } from "./search.postgres.ts";
import { sqliteBackend } from "./search.sqlite.ts";

/** The search backend of a database engine. */
export function backendFor(dialect: Dialect): SearchBackend {
  return dialect === "postgres" ? postgresBackend : sqliteBackend;
}
