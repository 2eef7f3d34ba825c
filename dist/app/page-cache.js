import { randomUUID } from "node:crypto";
import { CompiledQuery } from "kysely";
import { currentTransaction } from "../core/transaction.js";
import { communityTag, listTag, PageCache, SITE_TAG, topicTag } from "../core/page-cache.js";
import { compress } from "../web/compression.js";
import { listenPostgres } from "../live/live.hub.js";
/**
 * Tables no cached page shows (sessions, queues, logs, indexes, private records). A write to any
 * other table invalidates: a table added later is "shown" until someone lists it here.
 */
const NOT_SHOWN = new Set([
    "sessions",
    "api_tokens",
    "rate_limits",
    "jobs",
    "audit_log",
    "notifications",
    "notification_preferences",
    "email_deliveries",
    "live_events",
    "deflection_events",
    "search_documents",
    "search_postings",
    "search_terms",
    "search_stats",
    "search_vectors",
    "search_texts",
    "member_expertise",
    "topic_routes",
    "routing_preferences",
    "support_notes",
    "webhook_deliveries",
    "escalation_webhooks",
    "quiz_attempts",
    "booking_messages",
    "payments",
    "job_requests",
    "job_candidates",
    "kudos_events",
    // Badges show on profiles, which are not cached.
    "member_badges",
    "reward_redemptions",
    "kysely_migration",
    "kysely_migration_lock",
]);
/** Tables of a topic's own content: a commit that wrote them and named its topics (events) changed only those. */
const TOPIC_CONTENT = new Set(["topics", "replies", "comments", "votes", "revisions", "topic_tags", "follows"]);
/**
 * The pages a commit changed, as cache tags: each topic its events name and its community's lists;
 * the whole community for anything else it wrote (settings, categories, members, kudos), or the
 * whole site when the commit named no community (an admin's change, a job, a script).
 */
export function changedTags(tables, events) {
    const tags = new Set();
    const communities = new Set();
    for (const { payload } of events) {
        const p = payload;
        if (typeof p.communityId === "number") {
            communities.add(p.communityId);
            tags.add(listTag(p.communityId));
        }
        if (typeof p.topicId === "number")
            tags.add(topicTag(p.topicId));
        if (typeof p.intoId === "number")
            tags.add(topicTag(p.intoId));
    }
    const placed = tags.size > 0;
    const wide = [...tables].some((table) => !NOT_SHOWN.has(table) && !(placed && TOPIC_CONTENT.has(table)));
    if (wide && communities.size === 0)
        return new Set([SITE_TAG]);
    if (wide)
        for (const id of communities)
            tags.add(communityTag(id));
    return tags;
}
/** One NOTIFY channel per schema, as for live events. */
function cacheChannel(schema) {
    return `cs_pages_${schema ?? "public"}`;
}
/** PostgreSQL's NOTIFY payload limit is 8000 bytes; past it, the whole site is invalidated. */
const MAX_PAYLOAD = 7000;
/**
 * Keeps anonymous pages in memory and invalidates them from every committed write: right after
 * the commit on this instance (before the request that wrote answers), and on PostgreSQL on every
 * other instance through a NOTIFY sent in the writing transaction itself.
 */
export async function installPageCache(app, deps) {
    const { writes } = deps;
    if (!writes || deps.config.pageCacheMb === 0)
        return;
    const cache = new PageCache({
        maxBytes: deps.config.pageCacheMb * 1024 * 1024,
        maxAgeMs: 60_000,
        compress: (body, encoding) => compress(body, encoding, "page"),
    });
    deps.pageCache = cache;
    const instance = randomUUID();
    const channel = cacheChannel(deps.config.databaseSchema);
    const postgres = deps.dialect === "postgres";
    const unwatch = writes.watch((tables) => {
        const tags = changedTags(tables, currentTransaction()?.events ?? []);
        if (tags.size === 0)
            return undefined;
        let payload = `${instance} ${[...tags].join(" ")}`;
        if (payload.length > MAX_PAYLOAD)
            payload = `${instance} ${SITE_TAG}`;
        return {
            statements: postgres ? [CompiledQuery.raw("select pg_notify($1, $2)", [channel, payload])] : [],
            committed: () => cache.invalidate(tags),
        };
    });
    app.addHook("onClose", async () => {
        unwatch();
    });
    if (postgres) {
        const listener = await listenPostgres(deps, channel, (payload) => {
            const [from, ...tags] = payload.split(" ");
            if (from !== instance)
                cache.invalidate(tags);
        });
        app.addHook("onClose", () => listener.stop());
    }
}
