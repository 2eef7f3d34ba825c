import type { DatabaseHandle } from "../src/db/database.ts";
import { loadConfig } from "../src/core/config.ts";
import { systemClock } from "../src/core/clock.ts";
import { installRegistries } from "../src/app/registry.ts";
import { communityAccess } from "../src/communities/index.ts";
import { loadInsights } from "../src/insights/insights.service.ts";
import { rollUpCommunity } from "../src/insights/insights.rollups.jobs.ts";
import { addDays, localDate } from "../src/insights/insights.time.ts";

const RUNS = 7;

export interface DashboardTimes {
  topics: number;
  /** The first dashboard, before any rollup: every day computed live. */
  liveMs: number;
  /** The rollup job over the whole corpus (every settled day of the community). */
  rollupMs: number;
  rolledUpDays: number;
  /** With the rollups: the median of 7 runs after a warm-up. */
  medianMs: number;
  /** Whether the dashboard from rollups equals the live one (it must). */
  same: boolean;
}

/**
 * A year's Insights dashboard over the bench corpus (about half its topics), computed in process
 * as the API does (every query, no HTTP), as the bench community's admin: once live, then after
 * the rollup job, the median of 7 runs, in milliseconds.
 */
export async function timeYearDashboard(handle: DatabaseHandle, slug: string): Promise<DashboardTimes> {
  installRegistries();
  const deps = { db: handle.db, dialect: handle.dialect, config: loadConfig({}), clock: systemClock };
  const admin = await handle.db.selectFrom("users").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
  const actor = {
    id: admin.id,
    name: admin.name,
    email: admin.email,
    isPlatformAdmin: false,
    locale: null,
    via: "token" as const,
  };
  const access = await communityAccess(deps, { slug }, actor);
  const to = localDate(Date.now(), "UTC");
  const query = { from: addDays(to, -364), to, interval: "week" as const };
  const time = async <T>(work: () => Promise<T>) => {
    const start = performance.now();
    const result = await work();
    return { ms: performance.now() - start, result };
  };
  const live = await time(() => loadInsights(deps, access, query));
  const rollup = await time(() => rollUpCommunity(deps, access.community.id, { recheck: true }));
  const rolled = await loadInsights(deps, access, query);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await time(() => loadInsights(deps, access, query))).ms);
  times.sort((a, b) => a - b);
  return {
    topics: live.result.summary.topics,
    liveMs: live.ms,
    rollupMs: rollup.ms,
    rolledUpDays: rollup.result,
    medianMs: times[Math.floor(RUNS / 2)],
    same: JSON.stringify(rolled) === JSON.stringify(live.result),
  };
}

/** The line the bench prints. */
export function formatDashboard(database: string, t: DashboardTimes): string {
  return (
    `${database}: a year's Insights dashboard (${t.topics} topics, by week) in ${t.medianMs.toFixed(1)} ms ` +
    `from rollups (median of ${RUNS}, in process); ${t.liveMs.toFixed(0)} ms all live; ` +
    `rolling up ${t.rolledUpDays} days took ${(t.rollupMs / 1000).toFixed(1)} s; ` +
    (t.same ? "same figures as live" : "FIGURES DIFFER FROM LIVE")
  );
}
