import type { DatabaseHandle } from "../src/db/database.ts";
import { loadConfig } from "../src/core/config.ts";
import { systemClock } from "../src/core/clock.ts";
import { installRegistries } from "../src/app/registry.ts";
import { communityAccess } from "../src/communities/index.ts";
import { loadInsights } from "../src/insights/insights.service.ts";
import { addDays, localDate } from "../src/insights/insights.time.ts";

const RUNS = 7;

/**
 * A year's Insights dashboard over the bench corpus (about half its topics), computed in process
 * as the API does (every query, no HTTP), as the bench community's admin: the median of 7 runs
 * after a warm-up, in milliseconds.
 */
export async function timeYearDashboard(
  handle: DatabaseHandle,
  slug: string,
): Promise<{ medianMs: number; topics: number }> {
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
  const first = await loadInsights(deps, access, query);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await loadInsights(deps, access, query);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(RUNS / 2)], topics: first.summary.topics };
}
