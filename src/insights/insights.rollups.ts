import { type Insertable, type SqlBool, sql } from "kysely";
import type { Db } from "../db/database.ts";
import type { Database } from "../db/schema.ts";
import type { Deps } from "../core/deps.ts";
import { type Basis, COMMUNITY_COUNTS, type DayRows, computeDays, datesOf } from "./insights.days.ts";
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

/**
 * The rollup tables (migration 014): a day is rolled up when its `insights_days` row exists, and
 * the other tables hold rows only for such days. Writing a day replaces all its rows in one
 * transaction; invalidating one deletes them, so it is read live until the job writes it again.
 */
const DAY_TABLES = [
  "insightsDaily",
  "insightsDailyResponses",
  "insightsDailyContributors",
  "insightsDailyActive",
  "insightsDailyTerms",
  "insightsDays",
] as const;

/** The days of first..last rolled up with the community's time zone and locale of now. */
export async function rolledUpDays(db: Db, basis: Basis, first: string, last: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("insightsDays")
    .select("day")
    .where("communityId", "=", basis.communityId)
    .where("day", ">=", first)
    .where("day", "<=", last)
    .where("timezone", "=", basis.timezone)
    .where("locale", "=", basis.locale)
    .execute();
  return new Set(rows.map((r) => r.day));
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

async function deleteDays(db: Db, communityId: number, days: string[]): Promise<void> {
  for (const name of DAY_TABLES)
    await db.deleteFrom(name).where("communityId", "=", communityId).where("day", "in", days).execute();
}

/** Replaces the rollups of the days of `rows` (computed for all categories) with them. */
export async function writeRollups(db: Db, basis: Basis, rows: DayRows, computedAt: number): Promise<void> {
  const { communityId } = basis;
  const withCommunity = <R>(list: R[]) => list.map((r) => ({ communityId, ...r }));
  await db.transaction().execute(async (trx) => {
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
  });
}

/** Forgets the rollups of some days: they are read live until computed again. Returns how many were rolled up. */
export async function invalidateDays(db: Db, communityId: number, days: string[]): Promise<number> {
  if (days.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
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

/** The rolled-up runs of days [first, last] of a community, of one category or all, as a readout. Six queries. */
export async function readRollups(
  db: Db,
  communityId: number,
  runs: [string, string][],
  split: string,
  categoryId: number | null,
): Promise<Readout> {
  const readout = emptyReadout();
  if (runs.length === 0) return readout;
  const inRuns = sql.join(
    runs.map(([a, b]) => sql`day between ${a} and ${b}`),
    sql` or `,
  );
  const inCategory = categoryId === null ? sql`` : sql` and category_id = ${categoryId}`;
  const where = (perCategory: boolean) =>
    sql<SqlBool>`community_id = ${communityId} and (${inRuns})${perCategory ? inCategory : sql``}`;
  const current = sql<number>`case when day >= ${split} then 1 else 0 end`;
  const previous = sql<number>`case when day < ${split} then 1 else 0 end`;
  const [days, daily, responses, contributors, active, terms] = await Promise.all([
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
    db
      .selectFrom("insightsDailyContributors")
      .select((eb) => [
        "userId",
        eb.fn.sum<number>("answers").as("answers"),
        eb.fn.sum<number>("accepted").as("accepted"),
      ])
      .where(where(true))
      .where("day", ">=", split)
      .groupBy("userId")
      .execute(),
    db
      .selectFrom("insightsDailyActive")
      .select((eb) => ["userId", eb.fn.max(current).as("current"), eb.fn.max(previous).as("previous")])
      .where(where(true))
      .groupBy("userId")
      .execute(),
    db
      .selectFrom("insightsDailyTerms")
      .select((eb) => [
        "type",
        "term",
        "label",
        eb.fn.sum<number>(sql`topics * ${current}`).as("current"),
        eb.fn.sum<number>(sql`topics * ${previous}`).as("previous"),
        eb.fn.min<number | null>(sql`case when day >= ${split} then first_at end`).as("firstAt"),
      ])
      .where(where(true))
      .groupBy(["type", "term", "label"])
      .execute(),
  ]);
  for (const d of days) {
    const target = dayOf(readout, d.day).community;
    for (const k of COMMUNITY_COUNTS) target[k] = Number(d[k]);
  }
  for (const d of daily) {
    const target = dayOf(readout, d.day).counts;
    for (const k of TOPIC_COUNTS) target[k] = Number(d[k]);
  }
  for (const r of responses) dayOf(readout, r.day).responsesMs.push(Number(r.responseMs));
  for (const c of contributors) addContributor(readout, c.userId, Number(c.answers), Number(c.accepted));
  for (const a of active) addActive(readout, a.userId, Number(a.current) === 1, Number(a.previous) === 1);
  for (const t of terms)
    addTerm(readout, {
      type: t.type,
      term: t.term,
      label: t.label,
      current: Number(t.current),
      previous: Number(t.previous),
      firstAt: t.firstAt === null ? null : Number(t.firstAt),
    });
  return readout;
}

/** Runs of consecutive dates for which `keep` holds, as [first, last]. */
export function runsOf(dates: string[], keep: (date: string) => boolean): [string, string][] {
  const runs: [string, string][] = [];
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
  const stored = runsOf(dates, (d) => rolled.has(d));
  const live = runsOf(dates, (d) => !rolled.has(d));
  const parts = await Promise.all([
    readRollups(deps.db, basis.communityId, stored, days.split, categoryId),
    ...live.map(async ([from, to]) => readoutOf(await computeDays(deps, basis, { from, to }, categoryId), days.split)),
  ]);
  return parts.reduce(mergeReadouts, emptyReadout());
}
