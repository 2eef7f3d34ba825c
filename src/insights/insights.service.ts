import { ideaFiguresFor } from "../ideas/index.ts";
import type { Deps } from "../core/deps.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { forbidden, unauthorized, validationFailed } from "../core/errors.ts";
import { canSeeTopic, topicViewer, visibleTopicsSql } from "../topics/index.ts";
import type { Category } from "../db/schema.ts";
import { type Scope, fulfilledRewards, oldestUnanswered, staffIds, userNames } from "./insights.queries.ts";
import { marketplaceFigures } from "./insights.marketplace.queries.ts";
import {
  type TopicCounts,
  type TopicFigures,
  TOPIC_COUNTS,
  addCounts,
  communityAnswerShare,
  noTopicCounts,
  topicFigures,
  trending,
} from "./insights.metrics.ts";
import { COMMUNITY_COUNTS, type CommunityCounts } from "./insights.days.ts";
import { type DayFigures, type Readout, noCommunityCounts } from "./insights.readout.ts";
import { readDays } from "./insights.rollups.read.ts";
import { forgetRollups } from "./insights.rollups.ts";
import { changeSettingsAudited } from "../audit/audit.ts";
import type { InsightsQuery, InsightsSettingsInput } from "./insights.schema.ts";
import { type InsightsSettings, insightsBasis, insightsSettings } from "./insights.settings.ts";
import { type Buckets, addDays, addYears, bucketsOf, daysBetween, localDate, startOfDate } from "./insights.time.ts";

const TOP_CONTRIBUTORS = 10;
const TRENDING = 10;
const UNANSWERED_LISTED = 10;

/** Staff, moderators and admins; anonymous callers are asked to log in (a private community is already 404). */
export function assertMayViewInsights(access: CommunityAccess): void {
  if (!access.actor) throw unauthorized();
  if (!can(access, "insights.view")) throw forbidden("Only staff and moderators can see the insights.");
}

/** Staff and admins: the cost per contact, the currency and the time zone are company figures. */
export function assertMayConfigureInsights(access: CommunityAccess): void {
  assertMayViewInsights(access);
  if (!can(access, "insights.configure")) throw forbidden("Only staff and admins can change the insights settings.");
}

/**
 * Whether the caller may see a category's own figures: only if they may read its members' topics
 * (a moderator does not chart a private-scope category, whose topics only staff read).
 */
export function mayChartCategory(access: CommunityAccess, category: Pick<Category, "scope" | "championsOnly">) {
  const othersTopic = { authorId: -1, categoryScope: category.scope, categoryChampionsOnly: category.championsOnly };
  return canSeeTopic(topicViewer(access), othersTopic);
}

export interface Range {
  from: string;
  to: string;
  /** The previous period of the same length, just before. */
  previousFrom: string;
  days: number;
}

/** The range asked for, in the community's days: `to` today, `from` 30 days before it unless given. */
export function resolveRange(query: Pick<InsightsQuery, "from" | "to">, today: string): Range {
  const to = query.to ?? today;
  const from = query.from ?? addDays(to, -30);
  if (from > to) throw validationFailed({ from: "The first day must not be after the last." });
  // Two calendar years at most: 2024-01-11 to 2026-01-10, but not 2022-01-10 to 2024-01-10 (731
  // days, as many as a span with a 29 February, yet two years and a day).
  if (to >= addYears(from, 2)) throw validationFailed({ from: "Ask for at most two years." });
  const days = daysBetween(from, to);
  return { from, to, previousFrom: addDays(from, -days), days };
}

export interface Roi {
  currency: string;
  costPerContactCents: number;
  deflected: number;
  savingsCents: number;
  rewardsCents: number;
  netCents: number;
}

export interface Figures extends TopicFigures {
  deflected: number;
  searches: number;
  suggestionsShown: number;
  newMembers: number;
  roi: Roi;
}

export interface Summary extends Figures {
  /** Of all answers, the share posted by members rather than staff (official replies). */
  communityAnswerShare: number | null;
  activeMembers: number;
  marketplace: Awaited<ReturnType<typeof marketplaceFigures>>;
}

export type SeriesRow = { date: string } & Omit<Figures, "topicsByKind" | "roi"> & {
    savingsCents: number;
    rewardsCents: number;
    netCents: number;
  };

function roiOf(settings: InsightsSettings, deflected: number, rewardsCents: number): Roi {
  const savingsCents = deflected * settings.costPerContactCents;
  return {
    currency: settings.currency,
    costPerContactCents: settings.costPerContactCents,
    deflected,
    savingsCents,
    rewardsCents,
    netCents: savingsCents - rewardsCents,
  };
}

/** What some days add up to: their counts and first-response times. */
interface Totals {
  counts: TopicCounts;
  community: CommunityCounts;
  responsesMs: number[];
}

const noTotals = (): Totals => ({ counts: noTopicCounts(), community: noCommunityCounts(), responsesMs: [] });

function addTotals(into: Totals, from: Totals | DayFigures): void {
  addCounts(into.counts, from.counts, TOPIC_COUNTS);
  addCounts(into.community, from.community, COMMUNITY_COUNTS);
  for (const ms of from.responsesMs) into.responsesMs.push(ms);
}

/** The figures of some days' totals, with the rewards fulfilled in them (rates and the median from all their rows). */
function figuresOf(totals: Totals, rewardsCents: number, settings: InsightsSettings): Figures {
  const { counts, community } = totals;
  return {
    ...topicFigures(counts, totals.responsesMs),
    deflected: community.deflected,
    searches: community.searches,
    suggestionsShown: community.suggestionsShown,
    newMembers: community.newMembers,
    roi: roiOf(settings, community.deflected, rewardsCents),
  };
}

/**
 * The totals of each bucket of the range and of the period before it, in one pass over the
 * readout's days; the range's are the sum of its buckets'.
 */
function totalsOf(readout: Readout, range: Range, buckets: Buckets) {
  const series = buckets.dates.map(noTotals);
  const previous = noTotals();
  for (const [day, figures] of readout.days) {
    if (day < range.previousFrom || day > range.to) continue;
    if (day < range.from) addTotals(previous, figures);
    else addTotals(series[bucketOfDate(buckets, day)], figures);
  }
  const current = noTotals();
  for (const bucket of series) addTotals(current, bucket);
  return { current, previous, series };
}

/** The bucket a date of the range is in (binary search over the buckets' first dates). */
function bucketOfDate(buckets: Buckets, day: string): number {
  let low = 0;
  let high = buckets.dates.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (buckets.dates[mid] <= day) low = mid;
    else high = mid - 1;
  }
  return low;
}

function rewardsIn(rewards: { at: number; valueCents: number }[], startMs: number, endMs: number): number {
  return rewards.reduce((sum, r) => (r.at >= startMs && r.at < endMs ? sum + r.valueCents : sum), 0);
}

function seriesRow(date: string, f: Figures): SeriesRow {
  const { topicsByKind: _byKind, roi, ...counts } = f;
  return { date, ...counts, savingsCents: roi.savingsCents, rewardsCents: roi.rewardsCents, netCents: roi.netCents };
}

export interface Contributor {
  userId: number;
  name: string;
  answers: number;
  accepted: number;
  staff: boolean;
}

/** The members and the staff (by their role now) with the most answers in the range, best first. */
async function topContributors(deps: Deps, staff: Set<number>, readout: Readout): Promise<Contributor[]> {
  const ranked = [...readout.contributors]
    .map(([userId, c]) => ({ userId, ...c, staff: staff.has(userId) }))
    .sort((a, b) => b.answers - a.answers || b.accepted - a.accepted || a.userId - b.userId);
  const top = [
    ...ranked.filter((c) => !c.staff).slice(0, TOP_CONTRIBUTORS),
    ...ranked.filter((c) => c.staff).slice(0, TOP_CONTRIBUTORS),
  ];
  const names = await userNames(
    deps.db,
    top.map((c) => c.userId),
  );
  return top.map((c) => ({
    userId: c.userId,
    name: names.get(c.userId) ?? "",
    answers: c.answers,
    accepted: c.accepted,
    staff: c.staff,
  }));
}

/** The whole dashboard of one community, range, interval and optional category. */
export async function loadInsights(deps: Deps, access: CommunityAccess, query: InsightsQuery) {
  assertMayViewInsights(access);
  const communityId = access.community.id;
  // What does not depend on the range is asked at once, beside the settings.
  const unranged = Promise.all([staffIds(deps.db, communityId), ideaFiguresFor(deps, access)]);
  unranged.catch(() => undefined); // awaited below; a bad request must not leave it unhandled
  const { settings, basis } = await insightsBasis(deps.db, communityId);
  const range = resolveRange(query, localDate(deps.clock.now(), settings.timezone));
  const categoryId = query.category ?? null;
  const categories = await deps.db
    .selectFrom("categories")
    .select(["id", "scope", "championsOnly"])
    .where("communityId", "=", communityId)
    .execute();
  if (categoryId !== null) {
    const category = categories.find((c) => c.id === categoryId);
    if (!category || !mayChartCategory(access, category)) throw validationFailed({ category: "Unknown category." });
  }
  // Counts of every category are the community's figures; the words of topics the caller may not
  // read are not (a moderator does not see what a private billing question says).
  const termsHiddenIn = categories.filter((c) => !mayChartCategory(access, c)).map((c) => c.id);
  const tz = settings.timezone;
  const previousStart = startOfDate(range.previousFrom, tz);
  const fromMs = startOfDate(range.from, tz);
  const endMs = startOfDate(addDays(range.to, 1), tz);
  const current: Scope = { communityId, categoryId, fromMs, endMs };
  const lastBefore = addDays(range.from, -1);
  const [readout, rewards, marketplace, waiting, [staff, ideas]] = await Promise.all([
    readDays(deps, basis, { first: range.previousFrom, split: range.from, last: range.to }, categoryId, termsHiddenIn),
    // Rewards are valued at their value now, which staff may change: always read live (a few rows).
    fulfilledRewards(deps.db, { ...current, fromMs: previousStart }),
    marketplaceFigures(deps.db, current, settings.currency),
    oldestUnanswered(deps.db, current, visibleTopicsSql(topicViewer(access)), UNANSWERED_LISTED),
    unranged,
  ]);
  const contributors = await topContributors(deps, staff, readout);
  const active = [...readout.active.values()];
  const buckets = bucketsOf(range.from, range.to, query.interval, tz);
  const totals = totalsOf(readout, range, buckets);
  return {
    from: range.from,
    to: range.to,
    interval: query.interval,
    category: categoryId,
    timezone: tz,
    summary: {
      ...figuresOf(totals.current, rewardsIn(rewards, fromMs, endMs), settings),
      communityAnswerShare: communityAnswerShare(totals.current.counts),
      activeMembers: active.filter((a) => a.current).length,
      marketplace,
    } satisfies Summary,
    /** The same figures for the period of the same length just before, for the change. */
    previous: {
      from: range.previousFrom,
      to: lastBefore,
      ...figuresOf(totals.previous, rewardsIn(rewards, previousStart, fromMs), settings),
      communityAnswerShare: communityAnswerShare(totals.previous.counts),
      activeMembers: active.filter((a) => a.previous).length,
    },
    series: buckets.dates.map((date, i) =>
      seriesRow(
        date,
        figuresOf(totals.series[i], rewardsIn(rewards, buckets.bounds[i], buckets.bounds[i + 1]), settings),
      ),
    ),
    topContributors: contributors,
    /** The ideas pipeline as it stands (not by range): ideas per status, and days from new to done. */
    ideas,
    trending: trending(readout.terms.values(), TRENDING),
    /** Open questions of the range nobody but the asker replied to, oldest first (those the caller may see). */
    unansweredOldest: waiting.map((t) => ({
      id: t.id,
      title: t.title,
      createdAt: new Date(Number(t.createdAt)).toISOString(),
      url: `/c/${access.community.slug}/t/${t.id}`,
    })),
  };
}

export type Insights = Awaited<ReturnType<typeof loadInsights>>;

export async function getInsightsSettings(deps: Deps, access: CommunityAccess): Promise<InsightsSettings> {
  assertMayViewInsights(access);
  return insightsSettings(deps.db, access.community.id);
}

export async function updateInsightsSettings(
  deps: Deps,
  access: CommunityAccess,
  input: InsightsSettingsInput,
): Promise<InsightsSettings> {
  assertMayConfigureInsights(access);
  const before = await insightsSettings(deps.db, access.community.id);
  const saved = await changeSettingsAudited(deps, access, {
    section: "insights",
    auditAction: "settings.insights",
    current: (db) => insightsSettings(db, access.community.id),
    patch: input,
  });
  // Days cut in the old time zone would be read again, stale, were it set back: they go now (read
  // live until the hourly job rolls the days up in the new zone).
  if (saved.timezone !== before.timezone) await forgetRollups(deps, access.community.id);
  return saved;
}
