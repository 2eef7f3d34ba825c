import type { Deps } from "../core/deps.ts";
import { actorFromCredential, type Credential, requestCredential } from "../accounts/index.ts";
import { defineApi } from "../http/api.ts";
import { rateLimited, unauthorized } from "../core/errors.ts";
import { LIMITS } from "../core/config.ts";
import { topicsByIds, topicWithAccess } from "../topics/index.ts";
import { eventsQuery } from "./notifications.schema.ts";
import { eventsSince, newestEventId } from "../live/live.hub.ts";
import type { LiveEvent, LiveHub } from "../core/live-hub.ts";

/** Open streams per key (account or client address) on this instance. */
class StreamCounter {
  private readonly open = new Map<string, number>();
  constructor(private readonly max: number) {}
  tryOpen(key: string): boolean {
    const n = this.open.get(key) ?? 0;
    if (n >= this.max) return false;
    this.open.set(key, n + 1);
    return true;
  }
  close(key: string): void {
    const n = (this.open.get(key) ?? 1) - 1;
    if (n <= 0) this.open.delete(key);
    else this.open.set(key, n);
  }
}

export function liveRoutes(deps: Deps, hub: LiveHub) {
  // Results shared by the streams asking the same thing at the same moment (an event's id, else the
  // time of a heartbeat), kept a second after they settle.
  const shared = <T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> => {
    let result = cache.get(key);
    if (!result) {
      result = make();
      cache.set(key, result);
      void result.then(
        () => setTimeout(() => cache.delete(key), 1000).unref(),
        () => cache.delete(key),
      );
    }
    return result;
  };
  // One check per event and credential, shared by the streams it opened (all anonymous streams
  // share one); the topic itself is read once per event for all its viewers, whose access to it
  // (session, membership, role) is still checked each: a vote seen by N members costs 2N + 1 queries.
  const checks = new Map<string, Promise<boolean>>();
  const topicReads = new Map<string, ReturnType<typeof readTopic>>();
  const readTopic = async (id: number) => (await topicsByIds(deps, [id])).get(id);
  const allowed = (topicId: number, credential: Credential | null, eventId: number): Promise<boolean> => {
    const moment = eventId || Date.now();
    const read = () => shared(topicReads, `${topicId}:${moment}`, () => readTopic(topicId));
    return shared(checks, `${topicId}:${credential?.secret ?? ""}:${moment}`, () =>
      signedInAndReadable(topicId, credential, read),
    );
  };
  // The credential still signs its member in (no logout, "log out everywhere", revoked token or
  // deleted account since the stream opened), and that member, as they are now, may read the topic.
  // Any failure ends the stream; the browser reconnects from its last event id and is checked anew.
  const signedInAndReadable = async (
    topicId: number,
    credential: Credential | null,
    read: () => ReturnType<typeof readTopic>,
  ): Promise<boolean> => {
    try {
      const viewer = credential ? await actorFromCredential(deps, credential) : null;
      if (credential && !viewer) return false;
      if (topicId) await topicWithAccess(deps, topicId, viewer, { read });
      return true;
    } catch {
      return false;
    }
  };
  const perAccount = new StreamCounter(LIMITS.liveStreamsPerAccount);
  const perIp = new StreamCounter(LIMITS.liveStreamsPerIp);
  return [
    defineApi({
      method: "GET",
      path: "/events",
      tag: "live",
      summary:
        "Server-Sent Events: the caller's notifications (event 'notification') and, with ?topic=, that topic's new " +
        "replies, votes and solution. Resumes from Last-Event-ID.",
      query: eventsQuery,
      handler: async ({ actor, query, req, reply }) => {
        const channels: string[] = [];
        if (actor) channels.push(`user:${actor.id}`);
        if (query.topic) {
          await topicWithAccess(deps, query.topic, actor); // 404 for a topic the caller may not see
          channels.push(`topic:${query.topic}`);
        }
        if (channels.length === 0) throw unauthorized("Log in, or name a topic to follow.");
        const account = actor ? `user:${actor.id}` : null;
        if (!perIp.tryOpen(req.ip)) throw rateLimited("Too many live connections from this address.");
        if (account && !perAccount.tryOpen(account)) {
          perIp.close(req.ip);
          throw rateLimited("Too many live connections for this account.");
        }
        // Anything but an event id we could have sent (PostgreSQL refuses ids past bigint) replays nothing.
        const asked = Number(req.headers["last-event-id"]);
        const lastEventId = Number.isSafeInteger(asked) && asked > 0 && asked <= LIMITS.idMax ? asked : 0;

        reply.hijack();
        const res = reply.raw;
        // The headers every response has (security headers, the request id) go out with the stream's own.
        for (const [name, value] of Object.entries(reply.getHeaders()))
          if (value !== undefined) res.setHeader(name, value);
        res.writeHead(200, {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-store",
          connection: "keep-alive",
          "x-accel-buffering": "no",
        });
        res.write("retry: 3000\n\n");

        let lastSent = lastEventId;
        let closed = false;
        let heartbeat: NodeJS.Timeout | undefined;
        let unsubscribe = () => {};
        let forget = () => {};
        let release = () => {};
        // `shutdown`: the server is stopping (or the replay failed); no "gone" (which tells the browser
        // to stop), so its EventSource reconnects, to another instance or later, from the last event id.
        function end(reason: "gone" | "shutdown" = "gone") {
          if (closed) return;
          closed = true;
          clearInterval(heartbeat);
          unsubscribe();
          forget();
          perIp.close(req.ip);
          if (account) perAccount.close(account);
          const socket = res.socket;
          if (!res.writableEnded) res.end(reason === "gone" ? "event: gone\ndata: {}\n\n" : undefined);
          if (reason === "shutdown") socket?.end();
          release();
        }
        // Listened to before anything is awaited: a client gone during the replay below still frees
        // its slots (per account and address), its subscription and its heartbeat.
        res.once("close", () => end());
        const send = (event: LiveEvent) => {
          if (closed || event.id <= lastSent) return;
          lastSent = event.id;
          res.write(
            `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify({
              channel: event.channel,
              ...(event.data as object),
            })}\n\n`,
          );
        };
        // A stream lives only while its member stays signed in and, for a topic, may read it
        // (topics.visibility.ts): each event is checked before it goes out, and an idle stream at
        // each heartbeat.
        const credential = actor ? requestCredential(req) : null;
        const stillAllowed = (eventId: number) => allowed(query.topic ?? 0, credential, eventId);
        // Events are handled one after another, so none slips out while a check is running.
        let queue = Promise.resolve();
        const handle = (event: LiveEvent) => {
          queue = queue.then(async () => {
            if (closed) return;
            if (!(await stillAllowed(event.id))) return end();
            send(event);
          });
        };
        // Subscribe before replaying, and hold live events until the replay is out: no gap, no repeat.
        const held: LiveEvent[] = [];
        let replaying = true;
        unsubscribe = hub.subscribe(channels, (event) => (replaying ? held.push(event) : handle(event)));
        forget = hub.openStream(() => end("shutdown"));
        try {
          if (lastEventId > 0) {
            // A client ahead of the server (a restored database, a failover to a lagging replica)
            // resumes from the newest kept event: else it would drop every event until ids caught up.
            lastSent = Math.min(lastEventId, await newestEventId(deps.db));
            for (const event of await eventsSince(deps.db, channels, lastSent)) handle(event);
          }
        } catch (error) {
          // Not "gone": the browser reconnects from its last event id and is replayed anew.
          req.log.error({ err: error }, "live events could not be replayed");
          end("shutdown");
          return;
        }
        replaying = false;
        for (const event of held.sort((a, b) => a.id - b.id)) handle(event);
        queue = queue.then(() => {
          if (!closed) res.write(`event: ready\ndata: {}\n\n`);
        });

        if (!closed)
          heartbeat = setInterval(() => {
            queue = queue.then(async () => {
              if (closed) return;
              if (!(await stillAllowed(0))) return end();
              res.write(": keep-alive\n\n");
            });
          }, deps.config.liveHeartbeatMs);
        await new Promise<void>((resolve) => {
          release = resolve;
          if (closed) resolve();
        });
      },
    }),
  ];
}
