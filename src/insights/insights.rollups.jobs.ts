import type { Deps } from "../core/deps.ts";
import { defineJob, enqueue } from "../jobs/jobs.ts";
import { datesOf } from "./insights.days.ts";
import { topicPostTimes } from "./insights.queries.ts";
import { invalidateDays, refreshRollupStatistics, rollUpSpan } from "./insights.rollups.ts";
import { runsOf } from "./insights.rollups.read.ts";
import { RANGE_DAYS_MAX } from "./insights.schema.ts";
import { insightsBasis } from "./insights.settings.ts";
import { addDays, localDate, startOfDate } from "./insights.time.ts";
import { DAY_MS, HOUR_MS } from "../lib/durations.ts";

/** The furthest back a dashboard reads: a two-year range and the two years before it. */
export const ROLLUP_REACH_DAYS = 2 * RANGE_DAYS_MAX;
/** A day is rolled up an hour after it ends, once the deflected visits begun in it are closed. */
export const ROLLUP_SETTLE_MS = HOUR_MS;
/**
 * Recent days are computed again once a day: a few changes reach a topic without an event
 * (abandon timers, routed experts' answers, support cases), and they happen within weeks.
 */
export const ROLLUP_RECHECK_DAYS = 30;
/** Days computed in one go (one set of queries) when catching up. */
const SPAN_DAYS = 31;
/** Writing this many days at once is a backfill, after which the tables' statistics are refreshed. */
const BACKFILL_DAYS = 90;
/** Recomputing after an event waits this long, so the other subscribers of the change have written theirs. */
const RECOMPUTE_DELAY_MS = 60_000;

/**
 * Rolls up the settled days of a community that are missing (never computed, changed since, or
 * cut in another time zone or locale), and with `recheck` those of the last 30 days computed
 * more than a day ago. Returns the number of days written.
 */
export async function rollUpCommunity(
  deps: Pick<Deps, "db" | "dialect" | "clock">,
  communityId: number,
  { recheck }: { recheck: boolean },
): Promise<number> {
  const { basis } = await insightsBasis(deps.db, communityId);
  const now = deps.clock.now();
  const today = localDate(now, basis.timezone);
  const last = addDays(today, startOfDate(today, basis.timezone) + ROLLUP_SETTLE_MS <= now ? -1 : -2);
  const community = await deps.db
    .selectFrom("communities")
    .select("createdAt")
    .where("id", "=", communityId)
    .executeTakeFirstOrThrow();
  const born = localDate(Number(community.createdAt), basis.timezone);
  const reach = addDays(today, -ROLLUP_REACH_DAYS);
  // Dates as YYYY-MM-DD sort as strings: the later of the two.
  const first = [born, reach].sort()[1];
  if (first > last) return 0;
  const stored = await deps.db
    .selectFrom("insightsDays")
    .select(["day", "computedAt"])
    .where("communityId", "=", communityId)
    .where("day", ">=", first)
    .where("day", "<=", last)
    .where("timezone", "=", basis.timezone)
    .where("locale", "=", basis.locale)
    .execute();
  const computedAt = new Map(stored.map((s) => [s.day, Number(s.computedAt)]));
  const recent = addDays(last, 1 - ROLLUP_RECHECK_DAYS);
  const due = (day: string) => {
    const at = computedAt.get(day);
    return at === undefined || (recheck && day >= recent && at <= now - DAY_MS);
  };
  let written = 0;
  for (const [from, to] of runsOf(datesOf(first, last), due)) {
    for (let start = from; start <= to; start = addDays(start, SPAN_DAYS)) {
      const end = [addDays(start, SPAN_DAYS - 1), to].sort()[0];
      await rollUpSpan(deps, basis, { from: start, to: end }, now);
      written += datesOf(start, end).length;
    }
  }
  if (written >= BACKFILL_DAYS) await refreshRollupStatistics(deps.db);
  return written;
}

/** Fills the missing days of one community (after an event invalidated some). */
export const rollupJob = defineJob<{ communityId: number }>({
  name: "insights.rollup",
  run: async (deps, { communityId }) => {
    await rollUpCommunity(deps, communityId, { recheck: false });
  },
});

export async function scheduleRollups(deps: Deps): Promise<void> {
  const next = (Math.floor(deps.clock.now() / HOUR_MS) + 1) * HOUR_MS;
  await enqueue(deps, rollupsJob, null, { runAt: next, dedupeKey: `insights.rollups:${next}` });
}

/**
 * Every hour, for every community: yesterday once it has settled, anything missing, the recent
 * days once a day. The next run is queued first, and a community whose rollup fails does not stop
 * the others': the job fails after trying them all (and is retried), but the hourly runs go on.
 */
export const rollupsJob = defineJob<null>({
  name: "insights.rollups",
  run: async (deps) => {
    await scheduleRollups(deps);
    const communities = await deps.db.selectFrom("communities").select("id").orderBy("id").execute();
    const failed: { communityId: number; error: unknown }[] = [];
    for (const c of communities) {
      try {
        await rollUpCommunity(deps, c.id, { recheck: true });
      } catch (error) {
        failed.push({ communityId: c.id, error });
      }
    }
    if (failed.length > 0)
      throw new AggregateError(
        failed.map((f) => f.error),
        `Rollups failed for communities ${failed.map((f) => f.communityId).join(", ")}`,
      );
  },
});

/**
 * A topic changed (posted, answered, hidden, moved, solved, escalated, merged): every day its
 * figures touch (its own, its replies' and comments') is read live again, and computed again by
 * the job a minute later.
 */
export async function invalidateTopic(deps: Deps, topicId: number): Promise<void> {
  const topic = await topicPostTimes(deps.db, topicId);
  if (topic) await invalidateTimes(deps, topic.communityId, topic.times);
}

/** The days these moments fall on (in the community's time zone) are read live, and computed again a minute later. */
export async function invalidateTimes(deps: Deps, communityId: number, times: number[]): Promise<void> {
  const { basis } = await insightsBasis(deps.db, communityId);
  const days = [...new Set(times.map((ms) => localDate(ms, basis.timezone)))];
  if ((await invalidateDays(deps, communityId, days)) === 0) return;
  const runAt = (Math.floor(deps.clock.now() / RECOMPUTE_DELAY_MS) + 2) * RECOMPUTE_DELAY_MS;
  await enqueue(deps, rollupJob, { communityId }, { runAt, dedupeKey: `insights.rollup:${communityId}:${runAt}` });
}
