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
import { ALL_CATEGORIES, type RolledUpDay, monthDates, rolledUpDays } from "./insights.rollups.ts";

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

/**
 * Where the contributors, active members and terms of the rolled-up days are read: the daily
 * tables for `days`, the monthly ones for whole `months`, each on one side of the range's start
 * (`split`), and the community and category.
 */
interface Periods {
  communityId: number;
  categoryId: number | null;
  /** Of all categories (categoryId null): categories whose terms the reader may not see (mayChartCategory). */
  termsHiddenIn: readonly number[];
  days: string[];
  months: string[];
  split: string;
}

/**
 * The rows of the periods in a daily table and its monthly twin (`insights_daily_<name>`,
 * `insights_monthly_<name>`) as one `union all`, with `columns` (given the 0/1 expression "in the
 * range"); null when there is no period to read.
 */
function periodRows(
  periods: Periods,
  name: string,
  columns: (inRange: RawBuilder<number>) => RawBuilder<unknown>,
  hidden: readonly number[] = [],
): RawBuilder<unknown> | null {
  const { communityId, categoryId, days, months, split } = periods;
  const notHidden = sql` and category_id not in (${sql.join(hidden)})`;
  const inCategory =
    categoryId !== null ? sql` and category_id = ${categoryId}` : hidden.length > 0 ? notHidden : sql``;
  // All categories but some: the monthly rows of each category, not their total.
  const inMonthlyCategory =
    categoryId === null && hidden.length > 0
      ? sql` and category_id <> ${ALL_CATEGORIES}${notHidden}`
      : sql` and category_id = ${categoryId ?? ALL_CATEGORIES}`;
  const parts: RawBuilder<unknown>[] = [];
  if (days.length > 0)
    parts.push(sql`select ${columns(sql<number>`case when day >= ${split} then 1 else 0 end`)}
      from ${sql.table(`insights_daily_${name}`)}
      where community_id = ${communityId} and day in (${sql.join(days)})${inCategory}`);
  if (months.length > 0)
    parts.push(sql`select ${columns(sql<number>`case when month >= ${split.slice(0, 7)} then 1 else 0 end`)}
      from ${sql.table(`insights_monthly_${name}`)}
      where community_id = ${communityId} and month in (${sql.join(months)})${inMonthlyCategory}`);
  return parts.length === 0 ? null : sql.join(parts, sql` union all `);
}

/** Runs a query of some rows, or answers none without asking when there are none. */
async function grouped<R>(
  rows: RawBuilder<unknown> | null,
  query: (rows: RawBuilder<unknown>) => RawBuilder<R>,
  db: Db,
) {
  return rows === null ? [] : (await query(rows).execute(db)).rows;
}

/**
 * The contributors (of the range only), the active members and the terms of the rolled-up days:
 * three queries, each over the daily and the monthly table at once.
 */
async function readPeriods(db: Db, periods: Periods, readout: Readout): Promise<void> {
  const month = periods.split.slice(0, 7);
  const range = {
    ...periods,
    days: periods.days.filter((d) => d >= periods.split),
    months: periods.months.filter((m) => m >= month),
  };
  const [contributors, active, terms] = await Promise.all([
    grouped(
      periodRows(range, "contributors", () => sql`user_id, answers, accepted`),
      (rows) => sql<{ userId: number; answers: number; accepted: number }>`
        select user_id, sum(answers) as answers, sum(accepted) as accepted from (${rows}) as c group by user_id`,
      db,
    ),
    grouped(
      periodRows(periods, "active", (inRange) => sql`user_id, ${inRange} as in_range`),
      (rows) => sql<{ userId: number; current: number; previous: number }>`
        select user_id, max(in_range) as "current", min(in_range) as "previous" from (${rows}) as a group by user_id`,
      db,
    ),
    grouped(
      periodRows(
        periods,
        "terms",
        (inRange) => sql`type, term, label, first_at, topics, ${inRange} as in_range`,
        periods.termsHiddenIn,
      ),
      (rows) => sql<{
        type: "tag" | "word";
        term: string;
        label: string;
        current: number;
        previous: number;
        firstAt: number | null;
      }>`
        select type, term, label, sum(topics * in_range) as "current", sum(topics * (1 - in_range)) as "previous",
          min(case when in_range = 1 then first_at end) as first_at
        from (${rows}) as t group by type, term, label`,
      db,
    ),
  ]);
  for (const c of contributors) addContributor(readout, c.userId, Number(c.answers), Number(c.accepted));
  // min(in_range) is 0 when the member was active in the period before.
  for (const a of active) addActive(readout, a.userId, Number(a.current) === 1, Number(a.previous) === 0);
  for (const t of terms)
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
 * all, as a readout, with the community-wide counts already read (`stored`); `months` are those
 * read from the monthly tables. Five queries: one per table, whole months and single days together.
 */
async function readRollups(
  db: Db,
  communityId: number,
  days: { runs: Runs; stored: RolledUpDay[]; dailyRuns: Runs; months: string[]; split: string },
  categoryId: number | null,
  termsHiddenIn: readonly number[],
): Promise<Readout> {
  const readout = emptyReadout();
  const { runs, dailyRuns, months, split } = days;
  if (runs.length === 0) return readout;
  for (const d of days.stored) {
    const target = dayOf(readout, d.day).community;
    for (const k of COMMUNITY_COUNTS) target[k] = Number(d[k]);
  }
  const inCategory = categoryId === null ? sql`` : sql` and category_id = ${categoryId}`;
  const where = sql<SqlBool>`community_id = ${communityId} and ${inRuns(runs)}${inCategory}`;
  const periods = {
    communityId,
    categoryId,
    termsHiddenIn,
    days: dailyRuns.flatMap(([a, b]) => datesOf(a, b)),
    months,
    split,
  };
  const [daily, responses] = await Promise.all([
    db
      .selectFrom("insightsDaily")
      .select((eb) => ["day", ...TOPIC_COUNTS.map((k) => eb.fn.sum<number>(k).as(k))])
      .where(where)
      .groupBy("day")
      .execute(),
    db.selectFrom("insightsDailyResponses").select(["day", "responseMs"]).where(where).execute(),
    readPeriods(db, periods, readout),
  ]);
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
 * since) computed live, so a figure includes everything up to the request. The terms (trending
 * subjects) leave out `termsHiddenIn`: categories whose topics the reader may not read.
 */
export async function readDays(
  deps: Pick<Deps, "db" | "clock">,
  basis: Basis,
  days: { first: string; split: string; last: string },
  categoryId: number | null,
  termsHiddenIn: readonly number[] = [],
): Promise<Readout> {
  const dates = datesOf(days.first, days.last);
  const stored = await rolledUpDays(deps.db, basis, days.first, days.last);
  const rolled = new Set(stored.map((d) => d.day));
  const months = wholeMonths(dates, rolled, days.split);
  const byMonth = new Set(months);
  const rollups = {
    runs: runsOf(dates, (d) => rolled.has(d)),
    stored,
    dailyRuns: runsOf(dates, (d) => rolled.has(d) && !byMonth.has(d.slice(0, 7))),
    months,
    split: days.split,
  };
  const live = runsOf(dates, (d) => !rolled.has(d));
  const parts = await Promise.all([
    readRollups(deps.db, basis.communityId, rollups, categoryId, termsHiddenIn),
    ...live.map(async ([from, to]) => {
      const rows = await computeDays(deps, basis, { from, to }, categoryId);
      const terms = rows.terms.filter((t) => !termsHiddenIn.includes(t.categoryId));
      return readoutOf({ ...rows, terms }, days.split);
    }),
  ]);
  return parts.reduce(mergeReadouts, emptyReadout());
}
