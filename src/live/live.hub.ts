import type pg from "pg";
import { loadPg } from "../db/pg.ts";
import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import type { Deps } from "../core/deps.ts";
import type { LiveEvent, LiveHub } from "../core/live-hub.ts";
import { transaction } from "../core/transaction.ts";

/** One NOTIFY channel per database schema, so installations (and test runs) sharing a server stay apart. */
export function notifyChannel(schema: string | undefined): string {
  return `cs_live_${schema ?? "public"}`;
}

/**
 * Records an event and delivers it. On PostgreSQL every instance LISTENs and delivers to its own
 * clients, so an event published on one instance reaches clients of all; on SQLite one process
 * is the whole installation.
 */
export async function publish(deps: Deps, channel: string, type: string, data: unknown): Promise<void> {
  const record = (db: Db) =>
    db
      .insertInto("liveEvents")
      .values({ channel, type, data: JSON.stringify(data), createdAt: deps.clock.now() })
      .returning("id")
      .executeTakeFirstOrThrow();
  if (deps.dialect !== "postgres") {
    const row = await record(deps.db);
    deps.live?.dispatch({ id: row.id, channel, type, data });
    return;
  }
  // Streams and replays go by id ("after the last one sent"), so ids must become visible in order:
  // publishers take turns (a lock per installation, held to commit), else an id handed out first
  // could commit after a later one had been sent, and be skipped. The NOTIFY goes out at commit.
  const notify = notifyChannel(deps.config.databaseSchema);
  await transaction(deps, async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${notify}))`.execute(tx.db);
    const row = await record(tx.db);
    await sql`select pg_notify(${notify}, ${String(row.id)})`.execute(tx.db);
  });
}

const REPLAY_PAGE = 500;

/** The kept events after `afterId` (of these channels, else of all), oldest first, a page at a time. */
async function* eventsAfter(db: Db, afterId: number, channels?: string[]): AsyncGenerator<LiveEvent[]> {
  for (let after = afterId; ; ) {
    const rows = await db
      .selectFrom("liveEvents")
      .selectAll()
      .$if(channels !== undefined, (qb) => qb.where("channel", "in", channels ?? []))
      .where("id", ">", after)
      .orderBy("id")
      .limit(REPLAY_PAGE)
      .execute();
    yield rows.map((r) => ({ id: r.id, channel: r.channel, type: r.type, data: JSON.parse(r.data) }));
    if (rows.length < REPLAY_PAGE) return;
    after = rows[rows.length - 1].id;
  }
}

/** The id of the newest kept event (0: none). */
export async function newestEventId(db: Db): Promise<number> {
  const newest = await db
    .selectFrom("liveEvents")
    .select((eb) => eb.fn.max("id").as("id"))
    .executeTakeFirst();
  return Number(newest?.id ?? 0);
}

/** Every kept event of these channels after `afterId`, oldest first (read in pages: an hour may hold many). */
export async function eventsSince(db: Db, channels: string[], afterId: number) {
  const events: LiveEvent[] = [];
  for await (const page of eventsAfter(db, afterId, channels)) events.push(...page);
  return events;
}

const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 30_000;

interface ListenOptions {
  onPayload(payload: string): void | Promise<void>;
  /** After the connection was lost and is back: catch up on what was published meanwhile. */
  onReconnect?(): Promise<void>;
  log?: (message: string) => void;
}

/**
 * Calls `onPayload` with every NOTIFY on `channel` from any instance, over a connection of its
 * own. A lost connection (failover, restart, pg_terminate_backend, a proxy's idle timeout) is
 * logged and re-opened with exponential backoff, then `onReconnect` catches up.
 */
export async function listenPostgres(
  deps: Deps,
  channel: string,
  options: ListenOptions,
): Promise<{ stop(): Promise<void> }> {
  const log = options.log ?? console.error;
  let client: pg.Client | null = null;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  const connect = async () => {
    const { Client } = await loadPg();
    const next = new Client({ connectionString: deps.config.databaseUrl });
    next.on("error", (error) => log(`${channel}: connection lost: ${error.message}`));
    next.once("end", () => {
      if (client !== next) return;
      client = null;
      reconnectLater();
    });
    next.on("notification", (message) => {
      if (message.channel === channel) void options.onPayload(message.payload ?? "");
    });
    try {
      await next.connect();
      // The channel name is ours (schema names are validated), so quoting it as an identifier is safe.
      await next.query(`LISTEN "${channel}"`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    // Stopped while a reconnect was opening this: it must not outlive the stop (nor hold the process).
    if (stopped) return void (await next.end());
    client = next;
  };

  /** Opens the connection again if it is gone, then catches up; on failure, tries again later. */
  const reconnectLater = () => {
    if (stopped) return;
    clearTimeout(retryTimer);
    const delay = Math.min(RECONNECT_FIRST_MS * 2 ** failures, RECONNECT_MAX_MS);
    failures += 1;
    retryTimer = setTimeout(async () => {
      try {
        if (!client) await connect();
        if (stopped) return;
        await options.onReconnect?.();
        failures = 0;
      } catch (error) {
        log(`${channel}: reconnecting failed: ${(error as Error).message}`);
        reconnectLater();
      }
    }, delay);
  };

  await connect();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(retryTimer);
      const open = client;
      client = null;
      await open?.end();
    },
  };
}

/**
 * Listens for events published by any instance and hands them to this instance's hub, in id order.
 * Each notification only says "there is more": the hub gets every event after the last one it got,
 * so one that could not be read (a failed query, a lost connection) goes out with the next
 * notification or at the reconnect, not never (streams drop ids below what they sent: it would be
 * lost to them for good).
 */
export async function startPostgresListener(
  deps: Deps,
  hub: LiveHub,
  log: (message: string) => void = console.error,
): Promise<{ stop(): Promise<void> }> {
  let lastId = await newestEventId(deps.db);

  // Catch-ups run one after another so events go out in order; notifications arriving while one
  // waits to run are served by it (one read for a burst of events, not one each). A failed one
  // leaves `lastId` where it was, so the next reads its events again.
  let queue = Promise.resolve();
  let next: Promise<void> | null = null;
  const catchUp = (): Promise<void> => {
    if (next) return next;
    const run = queue.then(async () => {
      next = null;
      for await (const page of eventsAfter(deps.db, lastId))
        for (const event of page) {
          lastId = event.id;
          hub.dispatch(event);
        }
    });
    next = run;
    queue = run.catch(() => undefined);
    return run;
  };
  const onPayload = () => catchUp().catch((error: Error) => log(`live events: ${error.message}`));

  return listenPostgres(deps, notifyChannel(deps.config.databaseSchema), { onPayload, onReconnect: catchUp, log });
}
