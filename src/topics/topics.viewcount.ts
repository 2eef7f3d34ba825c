import { sql } from "kysely";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../core/deps.ts";

/** How often counted views are written: often enough to show, rarely enough to cost nothing. */
export const VIEW_FLUSH_MS = 30_000;

/** The route of a topic page; its views are counted, whether the page came from the cache or not. */
const TOPIC_PAGE_ROUTE = "/c/:slug/t/:id/:titleSlug";

/**
 * Topic views counted in memory and written in batches: a read never writes during its request
 * (an anonymous one must not write at all), and a flush adds every topic's views in one statement.
 * Each instance keeps its own counts and adds them, so several instances sum up on PostgreSQL.
 */
export class ViewCounts {
  private pending = new Map<number, number>();

  record(topicId: number): void {
    this.pending.set(topicId, (this.pending.get(topicId) ?? 0) + 1);
  }

  /** Views counted and not yet written. */
  get pendingViews(): number {
    let total = 0;
    for (const n of this.pending.values()) total += n;
    return total;
  }

  /**
   * Adds the counted views to the database in one upsert and forgets them; a topic deleted since
   * is skipped. When the write fails the views are kept for the next flush. Returns the topics written.
   */
  async flush(deps: Pick<Deps, "db">): Promise<number> {
    if (this.pending.size === 0) return 0;
    const batch = this.pending;
    this.pending = new Map();
    const rows = [...batch].map(([topicId, views]) => sql`(cast(${topicId} as integer), cast(${views} as bigint))`);
    try {
      // Only topics that still exist: a view of a topic deleted before the flush is dropped.
      await sql`with v (topic_id, view_count) as (values ${sql.join(rows)})
        insert into topic_views (topic_id, view_count)
        select v.topic_id, v.view_count from v where exists (select 1 from topics where topics.id = v.topic_id)
        on conflict (topic_id) do update set view_count = topic_views.view_count + excluded.view_count`.execute(
        deps.db,
      );
    } catch (error) {
      for (const [topicId, views] of batch) this.pending.set(topicId, (this.pending.get(topicId) ?? 0) + views);
      throw error;
    }
    return batch.size;
  }
}

const counters = new WeakMap<object, ViewCounts>();

/** The view counts of this app (one per set of deps). */
export function viewCountsOf(deps: Pick<Deps, "db">): ViewCounts {
  let counts = counters.get(deps.db);
  if (!counts) {
    counts = new ViewCounts();
    counters.set(deps.db, counts);
  }
  return counts;
}

/**
 * Counts every topic page answered (200, or 304 to a browser that had it), from the page cache too,
 * after the response; writes the counts every VIEW_FLUSH_MS and when the app closes.
 */
export function installViewCounting(app: FastifyInstance, deps: Deps): void {
  const counts = viewCountsOf(deps);
  app.addHook("onResponse", async (req, reply) => {
    if (req.method !== "GET" || req.routeOptions.url !== TOPIC_PAGE_ROUTE) return;
    if (reply.statusCode !== 200 && reply.statusCode !== 304) return;
    const id = Number((req.params as { id?: string }).id);
    if (Number.isSafeInteger(id) && id > 0) counts.record(id);
  });
  const flush = () =>
    counts.flush(deps).catch((error) => {
      app.log.warn({ err: error }, "could not write topic view counts; they are kept for the next flush");
    });
  const timer = setInterval(flush, VIEW_FLUSH_MS);
  timer.unref();
  app.addHook("onClose", async () => {
    clearInterval(timer);
    await flush();
  });
}
