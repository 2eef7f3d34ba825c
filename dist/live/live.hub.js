import pg from "pg";
import { sql } from "kysely";
/** One NOTIFY channel per database schema, so installations (and test runs) sharing a server stay apart. */
export function notifyChannel(schema) {
    return `cs_live_${schema ?? "public"}`;
}
/**
 * Records an event and delivers it. On PostgreSQL every instance LISTENs and delivers to its own
 * clients, so an event published on one instance reaches clients of all; on SQLite one process
 * is the whole installation.
 */
export async function publish(deps, channel, type, data) {
    const row = await deps.db
        .insertInto("liveEvents")
        .values({ channel, type, data: JSON.stringify(data), createdAt: deps.clock.now() })
        .returning("id")
        .executeTakeFirstOrThrow();
    if (deps.dialect === "postgres") {
        await sql `select pg_notify(${notifyChannel(deps.config.databaseSchema)}, ${String(row.id)})`.execute(deps.db);
    }
    else {
        deps.live?.dispatch({ id: row.id, channel, type, data });
    }
}
export async function eventsSince(db, channels, afterId) {
    const rows = await db
        .selectFrom("liveEvents")
        .selectAll()
        .where("channel", "in", channels)
        .where("id", ">", afterId)
        .orderBy("id")
        .limit(500)
        .execute();
    return rows.map((r) => ({ id: r.id, channel: r.channel, type: r.type, data: JSON.parse(r.data) }));
}
/**
 * Calls `onPayload` with every NOTIFY on `channel` from any instance, over a connection of its
 * own. The channel name is ours (schema names are validated), so quoting it as an identifier is safe.
 */
export async function listenPostgres(deps, channel, onPayload) {
    const client = new pg.Client({ connectionString: deps.config.databaseUrl });
    await client.connect();
    client.on("notification", (message) => {
        if (message.channel === channel)
            onPayload(message.payload ?? "");
    });
    await client.query(`LISTEN "${channel}"`);
    return { stop: () => client.end() };
}
/** Listens for events published by any instance and hands them to this instance's hub. */
export function startPostgresListener(deps, hub) {
    return listenPostgres(deps, notifyChannel(deps.config.databaseSchema), async (payload) => {
        const row = await deps.db.selectFrom("liveEvents").selectAll().where("id", "=", Number(payload)).executeTakeFirst();
        if (row)
            hub.dispatch({ id: row.id, channel: row.channel, type: row.type, data: JSON.parse(row.data) });
    });
}
