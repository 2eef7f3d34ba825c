/** Which engine a Kysely instance talks to; used where SQL must differ (migrations, search). */
export function dialectOf(db) {
    return db.getExecutor().adapter.constructor.name.startsWith("Postgres") ? "postgres" : "sqlite";
}
