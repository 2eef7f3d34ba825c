import type { Deps } from "../core/deps.ts";
import { defineJob, enqueue } from "../jobs/jobs.ts";
import { SOLVABLE_KINDS, firstAnswerAt, firstAnswerWait } from "../topics/index.ts";
import { median } from "./insights.metrics.ts";
import { DAY_MS } from "../lib/durations.ts";

/** The daily measurement runs at 03:00 UTC. */
const RUN_AT_MS = 3 * 3_600_000;
/** The window a category's "what to expect" box measures. */
export const EXPECTATION_WINDOW_MS = 30 * DAY_MS;
/** Fewer answered questions than this measure nothing worth promising. */
export const EXPECTATION_MIN_ANSWERED = 5;

/**
 * Measures, for every category, the median minutes from a question to its first answer (a visible
 * reply by someone other than the asker) over the questions of the last 30 days, and keeps it on
 * the category, where the new-topic form's "what to expect" box reads it. One query for all.
 */
export async function measureExpectations(deps: Pick<Deps, "db" | "clock">): Promise<void> {
  const now = deps.clock.now();
  const rows = await deps.db
    .selectFrom("topics")
    .select((eb) => ["topics.categoryId", "topics.createdAt", firstAnswerAt(eb)])
    .where("topics.createdAt", ">=", now - EXPECTATION_WINDOW_MS)
    .where("topics.kind", "in", SOLVABLE_KINDS)
    .where("topics.moderationState", "=", "visible")
    .where("topics.categoryId", "is not", null)
    .execute();
  const minutes = new Map<number, number[]>();
  for (const row of rows) {
    if (row.firstAnswerAt === null || row.categoryId === null) continue;
    const list = minutes.get(row.categoryId) ?? [];
    list.push(firstAnswerWait(Number(row.createdAt), Number(row.firstAnswerAt))! / 60_000);
    minutes.set(row.categoryId, list);
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable("categories").set({ measuredResponseMinutes: null, measuredAt: now }).execute();
    for (const [categoryId, list] of minutes) {
      if (list.length < EXPECTATION_MIN_ANSWERED) continue;
      await trx
        .updateTable("categories")
        .set({ measuredResponseMinutes: Math.round(median(list) as number), measuredAt: now })
        .where("id", "=", categoryId)
        .execute();
    }
  });
}

/** The next 03:00 UTC after `now`: today's while it is still ahead, else tomorrow's. */
export function nextExpectationsRun(now: number): number {
  const today = Math.floor(now / DAY_MS) * DAY_MS + RUN_AT_MS;
  return today > now ? today : today + DAY_MS;
}

export async function scheduleExpectations(deps: Deps): Promise<void> {
  const next = nextExpectationsRun(deps.clock.now());
  await enqueue(deps, expectationsJob, null, { runAt: next, dedupeKey: `insights.expectations:${next}` });
}

/** Every day at 03:00 UTC; the next run is scheduled first, so a day that fails does not end the chain. */
export const expectationsJob = defineJob<null>({
  name: "insights.expectations",
  run: async (deps) => {
    await scheduleExpectations(deps);
    await measureExpectations(deps);
  },
});
