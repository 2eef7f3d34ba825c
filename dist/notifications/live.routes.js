import { defineApi } from "../http/api.js";
import { unauthorized } from "../core/errors.js";
import { topicWithAccess } from "../topics/index.js";
import { eventsQuery } from "./notifications.schema.js";
import { eventsSince } from "../live/live.hub.js";
const HEARTBEAT_MS = 25_000;
export function liveRoutes(deps, hub) {
    return [
        defineApi({
            method: "GET",
            path: "/events",
            tag: "live",
            summary: "Server-Sent Events: the caller's notifications (event 'notification') and, with ?topic=, that topic's new replies, votes and solution. Resumes from Last-Event-ID.",
            query: eventsQuery,
            handler: async ({ actor, query, req, reply }) => {
                const channels = [];
                if (actor)
                    channels.push(`user:${actor.id}`);
                if (query.topic) {
                    await topicWithAccess(deps, query.topic, actor); // 404 for a topic the caller may not see
                    channels.push(`topic:${query.topic}`);
                }
                if (channels.length === 0)
                    throw unauthorized("Log in, or name a topic to follow.");
                const lastEventId = Number(req.headers["last-event-id"]) || 0;
                reply.hijack();
                const res = reply.raw;
                res.writeHead(200, {
                    "content-type": "text/event-stream; charset=utf-8",
                    "cache-control": "no-store",
                    connection: "keep-alive",
                    "x-accel-buffering": "no",
                });
                res.write("retry: 3000\n\n");
                let lastSent = lastEventId;
                const send = (event) => {
                    if (event.id <= lastSent)
                        return;
                    lastSent = event.id;
                    res.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify({ channel: event.channel, ...event.data })}\n\n`);
                };
                // Subscribe before replaying, and hold live events until the replay is out: no gap, no repeat.
                const held = [];
                let replaying = true;
                const unsubscribe = hub.subscribe(channels, (event) => (replaying ? held.push(event) : send(event)));
                if (lastEventId > 0)
                    for (const event of await eventsSince(deps.db, channels, lastEventId))
                        send(event);
                replaying = false;
                for (const event of held.sort((a, b) => a.id - b.id))
                    send(event);
                res.write(`event: ready\ndata: {}\n\n`);
                const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), HEARTBEAT_MS);
                await new Promise((resolve) => {
                    req.raw.once("close", () => {
                        clearInterval(heartbeat);
                        unsubscribe();
                        resolve();
                    });
                });
            },
        }),
    ];
}
