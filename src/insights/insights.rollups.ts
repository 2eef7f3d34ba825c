import { type Insertable, sql } from "kysely";
import type { Db, Dialect } from "../db/database.ts";
import type { Deps } from "../core/deps.ts";
import type { Database } from "../db/schema.ts";
import { refreshPlannerStatistics } from "../db/statistics.ts";
import { type Basis, COMMUNITY_COUNTS, type CommunityCounts, computeDays, datesOf } from "./insights.days.ts";
import { lockRows } from "../db/row-locks.ts";

/**
 * The rollup tables (migration 014): a day is rolled up when its `insights_days` row exists, and
 * the other tables hold rows only for such days; the monthly ones only for months whose every
 * day is. Writing a day replaces all its rows (and its month's) in one transaction; invalidating
 * one deletes them, so it is read live until the job writes it again.
 */
const MONTH_TABLES = ["insightsMonthlyContributors", "insightsMonthlyActive", "insightsMonthlyTerms"] as const;
/** The category id of the monthly rows of all categories together. */
export const ALL_CATEGORIES = -1;

const DAY_TABLES = [
  "insightsDaily",
  "insightsDailyResponses",
  "insightsDailyContributors",
  "insightsDailyActive",
  "insightsDailyTerms",
  "insightsDays",
] as const;

export type RolledUpDay = { day: string } & CommunityCounts;

/**
 * Refreshes PostgreSQL's statistics of the rollup tables. After a backfill (a new installation,
 * an import, a change of time zone) they describe nearly empty tables until autovacuum comes
 * round, and the planner reads every row of the community instead of the days asked for (a
 * year's dashboard took twice as long). SQLite plans these reads by their keys without statistics.
 */
export async function refreshRollupStatistics(db: Db): Promise<void> {
  await refreshPlannerStatistics(db, [...DAY_TABLES, ...MONTH_TABLES]);
}

/**
 * The days of first..last rolled up with the community's time zone and locale of now, with their
 * community-wide counts.
 */
export async function rolledUpDays(db: Db, basis: Basis, first: string, last: string): Promise<RolledUpDay[]> {
  return db
    .selectFrom("insightsDays")
    .select(["day", ...COMMUNITY_COUNTS])
    .where("communityId", "=", basis.communityId)
    .where("day", ">=", first)
    .where("day", "<=", last)
    .where("timezone", "=", basis.timezone)
    .where("locale", "=", basis.locale)
    .execute();
}

/** SQLite binds at most 32,766 parameters per statement. */
const PARAMETERS_PER_INSERT = 30_000;

async function insertAll<T extends (typeof DAY_TABLES)[number]>(
  db: Db,
  name: T,
  rows: Insertable<Database[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const perChunk = Math.floor(PARAMETERS_PER_INSERT / Object.keys(rows[0]).length);
  for (let i = 0; i < rows.length; i += perChunk)
    await db
      .insertInto(name)
      .values(rows.slice(i, i + perChunk) as never)
      .execute();
}

/** The dates of a month (YYYY-MM). */
export function monthDates(month: string): string[] {
  const [year, number] = month.split("-").map(Number);
  const days = new Date(Date.UTC(year, number, 0)).getUTCDate();
  return datesOf(`${month}-01`, `${month}-${String(days).padStart(2, "0")}`);
}

const monthsOf = (days: string[]) => [...new Set(days.map((d) => d.slice(0, 7)))];

async function deleteDays(db: Db, communityId: number, days: string[]): Promise<void> {
  for (const name of DAY_TABLES)
    await db.deleteFrom(name).where("communityId", "=", communityId).where("day", "in", days).execute();
  for (const name of MONTH_TABLES)
    await db.deleteFrom(name).where("communityId", "=", communityId).where("month", "in", monthsOf(days)).execute();
}

/** Sums the daily rows of a month whose every day is rolled up into its monthly rows, per category and for all. */
async function rollUpMonth(db: Db, basis: Basis, month: string): Promise<void> {
  const dates = monthDates(month);
  const [first, last] = [dates[0], dates[dates.length - 1]];
  const rolled = await db
    .selectFrom("insightsDays")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("communityId", "=", basis.communityId)
    .where("day", ">=", first)
    .where("day", "<=", last)
    .where("timezone", "=", basis.timezone)
    .where("locale", "=", basis.locale)
    .executeTakeFirstOrThrow();
  if (Number(rolled.n) !== dates.length) return;
  const key = sql`cast(${basis.communityId} as integer), cast(${month} as text)`;
  const where = sql`where community_id = ${basis.communityId} and day between ${first} and ${last}`;
  const all = sql.lit(ALL_CATEGORIES);
  await sql`insert into insights_monthly_contributors (community_id, month, category_id, user_id, answers, accepted)
    select ${key}, category_id, user_id, sum(answers), sum(accepted) from insights_daily_contributors ${where}
      group by category_id, user_id
    union all
    select ${key}, ${all}, user_id, sum(answers), sum(accepted) from insights_daily_contributors ${where}
      group by user_id`.execute(db);
  await sql`insert into insights_monthly_active (community_id, month, category_id, user_id)
    select ${key}, category_id, user_id from insights_daily_active ${where} group by category_id, user_id
    union all
    select ${key}, ${all}, user_id from insights_daily_active ${where} group by user_id`.execute(db);
  await sql`insert into insights_monthly_terms (community_id, month, category_id, type, term, label, first_at, topics)
    select ${key}, category_id, type, term, label, min(first_at), sum(topics) from insights_daily_terms ${where}
      group by category_id, type, term, label
    union all
    select ${key}, ${all}, type, term, label, min(first_at), sum(topics) from insights_daily_terms ${where}
      group by type, term, label`.execute(db);
}

/**
 * Locks the community's rollups (PostgreSQL; SQLite has one writer): a rollup being written and the
 * days an event forgets wait for each other, so two runs never write the same day at once and a
 * change never lands between a day's computing and its writing.
 */
async function lockRollups(db: Db, dialect: Dialect, communityId: number): Promise<void> {
  await lockRows({ db, dialect }, "communities", [communityId]);
}

/** Computes the days of `span` (for all categories) and replaces their rollups, in one transaction. */
export async function rollUpSpan(
  deps: Pick<Deps, "db" | "dialect" | "clock">,
  basis: Basis,
  span: { from: string; to: string },
  computedAt: number,
): Promise<void> {
  const { communityId } = basis;
  const withCommunity = <R>(list: R[]) => list.map((r) => ({ communityId, ...r }));
  await deps.db.transaction().execute(async (trx) => {
    await lockRollups(trx, deps.dialect, communityId);
    const rows = await computeDays({ db: trx, clock: deps.clock }, basis, span, null);
    await deleteDays(
      trx,
      communityId,
      rows.days.map((d) => d.day),
    );
    await insertAll(trx, "insightsDaily", withCommunity(rows.daily));
    await insertAll(trx, "insightsDailyResponses", withCommunity(rows.responses));
    await insertAll(trx, "insightsDailyContributors", withCommunity(rows.contributors));
    await insertAll(trx, "insightsDailyActive", withCommunity(rows.active));
    await insertAll(
      trx,
      "insightsDailyTerms",
      withCommunity(
        rows.terms.map(({ type, term, label, firstAt, topics, day, categoryId }) => ({
          day,
          categoryId,
          type,
          term,
          label,
          firstAt,
          topics,
        })),
      ),
    );
    await insertAll(
      trx,
      "insightsDays",
      withCommunity(rows.days.map((d) => ({ ...d, timezone: basis.timezone, locale: basis.locale, computedAt }))),
    );
    for (const month of monthsOf(rows.days.map((d) => d.day))) await rollUpMonth(trx, basis, month);
  });
}

/** Forgets every rollup of a community (its time zone changed, or an import wrote into its past). */
export async function forgetRollups(deps: Pick<Deps, "db" | "dialect">, communityId: number): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await lockRollups(trx, deps.dialect, communityId);
    for (const name of [...DAY_TABLES, ...MONTH_TABLES])
      await trx.deleteFrom(name).where("communityId", "=", communityId).execute();
  });
}

/** Forgets the rollups of some days: they are read live until computed again. Returns how many were rolled up. */
export async function invalidateDays(
  deps: Pick<Deps, "db" | "dialect">,
  communityId: number,
  days: string[],
): Promise<number> {
  if (days.length === 0) return 0;
  return deps.db.transaction().execute(async (trx) => {
    await lockRollups(trx, deps.dialect, communityId);
    const rolled = await trx
      .selectFrom("insightsDays")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("communityId", "=", communityId)
      .where("day", "in", days)
      .executeTakeFirstOrThrow();
    await deleteDays(trx, communityId, days);
    return Number(rolled.n);
  });
}
