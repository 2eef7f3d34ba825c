import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { CompiledQuery } from "kysely";
import type { Deps } from "../core/deps.ts";
import { currentTransaction } from "../core/transaction.ts";
import { communityTag, listTag, PageCache, SITE_TAG, topicTag } from "../core/page-cache.ts";
import { compress } from "../web/compression.ts";
import { anonymousPageKey, sendSharedPage } from "../web/page-cache.ts";
import { readsPage } from "../web/layout.ts";
import { sessionCookie } from "../accounts/session-cookie.ts";
import { listenPostgres } from "../live/live.hub.ts";

/**
 * Tables no cached page shows (sessions, queues, logs, indexes, private records). A write to any
 * other table invalidates: a table added later is "shown" until someone lists it here.
 */
const NOT_SHOWN = new Set([
  "sessions",
  "api_tokens",
  "account_links",
  "rate_limits",
  "jobs",
  "audit_log",
  "notifications",
  "notification_preferences",
  "email_deliveries",
  "email_delivery_actors",
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
  // Shown only on the settings page, which is never cached.
  "allowed_origins",
  // View counts, flushed in batches: cached pages may show them a little late (migration 021).
  "topic_views",
  // The installation's secrets.
  "settings",
  "kysely_migration",
  "kysely_migration_lock",
]);

/**
 * Tables of the whole site, shown on the pages of every community: a member's name and avatar
 * show on their posts wherever they posted, also where their membership has since ended (a
 * removed member, an account deleted after it). A write to them invalidates every page, whatever
 * communities the commit's events name.
 */
const SITE_WIDE = new Set(["users"]);

/**
 * Tables of a topic's own content: a commit that wrote them and named its topics (events) changed
 * only those. A poll shows on its topic's page only, so its tables count as the topic's content.
 */
const TOPIC_CONTENT = new Set([
  "topics",
  "replies",
  "comments",
  "votes",
  "revisions",
  "topic_tags",
  "follows",
  "polls",
  "poll_options",
  "poll_votes",
]);

interface TopicEventPayload {
  communityId?: unknown;
  topicId?: unknown;
  intoId?: unknown;
}

/**
 * The pages a commit changed, as cache tags: each topic its events name and its community's lists;
 * the whole community for anything else it wrote (settings, categories, members, kudos), or the
 * whole site when the commit named no community (an admin's change, a job, a script).
 */
export function changedTags(tables: ReadonlySet<string>, events: readonly { payload: unknown }[]): Set<string> {
  const tags = new Set<string>();
  const communities = new Set<number>();
  for (const { payload } of events) {
    const p = payload as TopicEventPayload;
    if (typeof p.communityId === "number") {
      communities.add(p.communityId);
      tags.add(listTag(p.communityId));
    }
    if (typeof p.topicId === "number") tags.add(topicTag(p.topicId));
    if (typeof p.intoId === "number") tags.add(topicTag(p.intoId));
  }
  if ([...tables].some((table) => SITE_WIDE.has(table))) return new Set([SITE_TAG]);
  const placed = tags.size > 0;
  const wide = [...tables].some((table) => !NOT_SHOWN.has(table) && !(placed && TOPIC_CONTENT.has(table)));
  if (wide && communities.size === 0) return new Set([SITE_TAG]);
  if (wide) for (const id of communities) tags.add(communityTag(id));
  return tags;
}

/** One NOTIFY channel per schema, as for live events. */
function cacheChannel(schema: string | undefined): string {
  return `cs_pages_${schema ?? "public"}`;
}

/** PostgreSQL's NOTIFY payload limit is 8000 bytes; past it, the whole site is invalidated. */
const MAX_PAYLOAD = 7000;

/**
 * Keeps anonymous pages in memory and invalidates them from every committed write: right after
 * the commit on this instance (before the request that wrote answers), and on PostgreSQL on every
 * other instance through a NOTIFY sent in the writing transaction itself.
 */
export async function installPageCache(app: FastifyInstance, deps: Deps): Promise<void> {
  const { writes } = deps;
  if (!writes || deps.config.pageCacheMb === 0) return;
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
    if (tags.size === 0) return undefined;
    let payload = `${instance} ${[...tags].join(" ")}`;
    if (payload.length > MAX_PAYLOAD) payload = `${instance} ${SITE_TAG}`;
    return {
      statements: postgres ? [CompiledQuery.raw("select pg_notify($1, $2)", [channel, payload])] : [],
      committed: () => cache.invalidate(tags),
    };
  });
  app.addHook("onClose", async () => {
    unwatch();
  });

  if (postgres) {
    const listener = await listenPostgres(deps, channel, {
      onPayload: (payload) => {
        const [from, ...tags] = payload.split(" ");
        if (from !== instance) cache.invalidate(tags);
      },
      // Invalidations sent while the connection was down are lost: start afresh.
      onReconnect: async () => cache.invalidate([SITE_TAG]),
    });
    app.addHook("onClose", () => listener.stop());
  }
}

/**
 * Answers an anonymous visitor's GET, or HEAD (the same headers), from the page cache before anything
 * else runs (no session lookup, no routing work): a request without a session cookie or a token has
 * no signed-in member.
 * Register after the cookie parser and before the hook that loads the signed-in member.
 */
export function serveCachedPages(app: FastifyInstance, deps: Deps): void {
  const cache = deps.pageCache;
  if (!cache) return;
  app.addHook("onRequest", async (req, reply) => {
    if (!readsPage(req) || req.headers.authorization !== undefined || sessionCookie(req)) return;
    const page = cache.lookup(anonymousPageKey(req), deps.clock.now());
    if (page) return sendSharedPage(req, reply, page, cache, "hit");
  });
}
