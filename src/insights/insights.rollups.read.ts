import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import { type Basis, COMMUNITY_COUNTS, computeDays, datesOf } from "./insights.days.ts";
import { TOPIC_COUNTS } from "./insights.metrics.ts";
import {
  type Readout,
  addActive,
  addContributor,
  addTerm,
  dayOf,
  emptyReadout,
  mergeReadouts,
  readoutOf,
} from "./insights.readout.ts";
import { ALL_CATEGORIES, monthDates, rolledUpDays } from "./insights.rollups.ts";

/**
 * Reading the rollups: the counts and first-response times of each rolled-up day from the daily
 * tables; contributors, active members and terms from the monthly tables for whole months on one
 * side of the range's start, and from the daily tables for the other rolled-up days.
 */
type Runs = [string, string][];

/**
 * The rows of some runs of days: the range from the first to the last (an index range on both
 * engines), narrowed to the runs; or, for a few scattered days, the list of them (one seek each).
 */
const inRuns = (runs: Runs) =>
  sql<SqlBool>`day between ${runs[0][0]} and ${runs[runs.length - 1][1]} and (${sql.join(
    runs.map(([a, b]) => sql`day between ${a} and ${b}`),
    sql` or `,
  )})`;
const inDays = (runs: Runs) => sql<SqlBool>`day in (${sql.join(runs.flatMap(([a, b]) => datesOf(a, b)))})`;

/** Where the contributors, active members and terms of some days are read: a daily or a monthly table. */
interface Source {
  grain: "daily" | "monthly";
  where: RawBuilder<SqlBool>;
  /** 1 for rows in the range, 0 for rows of the period before it. */
  current: RawBuilder<number>;
}

async function readPeriods(db: Db, source: Source, readout: Readout): Promise<void> {
  const table = (name: string) => sql.table(`insights_${source.grain}_${name}`);
  const { where, current } = source;
  const [contributors, active, terms] = await Promise.all([
    sql<{ userId: number; answers: number; accepted: number }>`
      select user_id, sum(answers) as answers, sum(accepted) as accepted from ${table("contributors")}
      where ${where} and ${current} = 1 group by user_id`.execute(db),
    sql<{ userId: number; current: number; previous: number }>`
      select user_id, max(${current}) as "current", min(${current}) as "previous" from ${table("active")}
      where ${where} group by user_id`.execute(db),
    sql<{ type: "tag" | "word"; term: string; label: string; current: number; previous: number; firstAt: number }>`
      select type, term, label, sum(topics * ${current}) as "current", sum(topics * (1 - ${current})) as "previous",
        min(case when ${current} = 1 then first_at end) as first_at
      from ${table("terms")} where ${where} group by type, term, label`.execute(db),
  ]);
  for (const c of contributors.rows) addContributor(readout, c.userId, Number(c.answers), Number(c.accepted));
  // min(current) is 0 when the member was active in the period before.
  for (const a of active.rows) addActive(readout, a.userId, Number(a.current) === 1, Number(a.previous) === 0);
  for (const t of terms.rows)
    addTerm(readout, {
      type: t.type,
      term: t.term,
      label: t.label,
      current: Number(t.current),
      previous: Number(t.previous),
      firstAt: t.firstAt === null ? null : Number(t.firstAt),
    });
}

/**
 * The rolled-up days of a community (`runs`; the range starts at `split`), of one category or
 * all, as a readout; `months` are those of them read from the monthly tables.
 */
async function readRollups(
  db: Db,
  communityId: number,
  days: { runs: Runs; dailyRuns: Runs; months: string[]; split: string },
  categoryId: number | null,
): Promise<Readout> {
  const readout = emptyReadout();
  const { runs, dailyRuns, months, split } = days;
  if (runs.length === 0) return readout;
  const inCategory = categoryId === null ? sql`` : sql` and category_id = ${categoryId}`;
  const where = (perCategory: boolean) =>
    sql<SqlBool>`community_id = ${communityId} and ${inRuns(runs)}${perCategory ? inCategory : sql``}`;
  const sources: Source[] = [];
  if (dailyRuns.length > 0)
    sources.push({
      grain: "daily",
      where: sql<SqlBool>`community_id = ${communityId} and ${inDays(dailyRuns)}${inCategory}`,
      current: sql<number>`case when day >= ${split} then 1 else 0 end`,
    });
  if (months.length > 0)
    sources.push({
      grain: "monthly",
      where: sql<SqlBool>`community_id = ${communityId} and month in (${sql.join(months)})
        and category_id = ${categoryId ?? ALL_CATEGORIES}`,
      current: sql<number>`case when month >= ${split.slice(0, 7)} then 1 else 0 end`,
    });
  const [community, daily, responses] = await Promise.all([
    db
      .selectFrom("insightsDays")
      .select(["day", ...COMMUNITY_COUNTS])
      .where(where(false))
      .execute(),
    db
      .selectFrom("insightsDaily")
      .select((eb) => ["day", ...TOPIC_COUNTS.map((k) => eb.fn.sum<number>(k).as(k))])
      .where(where(true))
      .groupBy("day")
      .execute(),
    db.selectFrom("insightsDailyResponses").select(["day", "responseMs"]).where(where(true)).execute(),
    ...sources.map((source) => readPeriods(db, source, readout)),
  ]);
  for (const d of community) {
    const target = dayOf(readout, d.day).community;
    for (const k of COMMUNITY_COUNTS) target[k] = Number(d[k]);
  }
  for (const d of daily) {
    const target = dayOf(readout, d.day).counts;
    for (const k of TOPIC_COUNTS) target[k] = Number(d[k]);
  }
  for (const r of responses) dayOf(readout, r.day).responsesMs.push(Number(r.responseMs));
  return readout;
}

/** Runs of consecutive dates for which `keep` holds, as [first, last]. */
export function runsOf(dates: string[], keep: (date: string) => boolean): Runs {
  const runs: Runs = [];
  let start: string | null = null;
  dates.forEach((date, i) => {
    if (keep(date) && start === null) start = date;
    if (start !== null && (!keep(date) || i === dates.length - 1)) {
      runs.push([start, keep(date) ? date : dates[i - 1]]);
      start = null;
    }
  });
  return runs;
}

/** The months of `dates` whose every day is rolled up and on one side of `split`. */
function wholeMonths(dates: string[], rolled: Set<string>, split: string): string[] {
  const months = [...new Set(dates.map((d) => d.slice(0, 7)))];
  const inside = new Set(dates);
  return months.filter((month) => {
    const days = monthDates(month);
    const sides = new Set(days.map((d) => d >= split));
    return sides.size === 1 && days.every((d) => inside.has(d) && rolled.has(d));
  });
}

/**
 * The days `first`..`last` of a community (the range begins at `split`), of one category or of
 * all: rolled-up days from the rollups, the others (today, days not rolled up yet or changed
 * since) computed live, so a figure includes everything up to the request.
 */
export async function readDays(
  deps: Pick<Deps, "db" | "clock">,
  basis: Basis,
  days: { first: string; split: string; last: string },
  categoryId: number | null,
): Promise<Readout> {
  const dates = datesOf(days.first, days.last);
  const rolled = await rolledUpDays(deps.db, basis, days.first, days.last);
  const months = wholeMonths(dates, rolled, days.split);
  const byMonth = new Set(months);
  const stored = {
    runs: runsOf(dates, (d) => rolled.has(d)),
    dailyRuns: runsOf(dates, (d) => rolled.has(d) && !byMonth.has(d.slice(0, 7))),
    months,
    split: days.split,
  };
  const live = runsOf(dates, (d) => !rolled.has(d));
  const parts = await Promise.all([
    readRollups(deps.db, basis.communityId, stored, categoryId),
    ...live.map(async ([from, to]) => readoutOf(await computeDays(deps, basis, { from, to }, categoryId), days.split)),
  ]);
  return parts.reduce(mergeReadouts, emptyReadout());
}
