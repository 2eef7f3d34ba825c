import type { Kysely } from "kysely";

export type Dialect = "sqlite" | "postgres";

/** Which engine a Kysely instance talks to; used where SQL must differ (migrations, search). */
export function dialectOf<T>(db: Kysely<T>): Dialect {
  return db.getExecutor().adapter.constructor.name.startsWith("Postgres") ? "postgres" : "sqlite";
}
