import { ideaFiguresFor } from "../ideas/index.ts";
import type { Deps } from "../core/deps.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { forbidden, unauthorized, validationFailed } from "../core/errors.ts";
import { deflectionActivity, searchLocale } from "../search/index.ts";
import { topicViewer, visibleTopicsSql } from "../topics/index.ts";
import {
  type Scope,
  type TopicRow,
  activeMembers,
  answerCounts,
  oldestUnanswered,
  fulfilledRewards,
  membershipStarts,
  topContributors,
  topicRows,
} from "./insights.queries.ts";
import { marketplaceFigures } from "./insights.marketplace.queries.ts";
import { type TopicFigures, rate, topicFigures, trending } from "./insights.metrics.ts";
import { RANGE_DAYS_MAX, type InsightsQuery, type InsightsSettingsInput } from "./insights.schema.ts";
import { type InsightsSettings, insightsSettings, saveInsightsSettings } from "./insights.settings.ts";
import { type Buckets, addDays, bucketOf, bucketsOf, daysBetween, localDate, startOfDate } from "./insights.time.ts";

const TOP_CONTRIBUTORS = 10;
const TRENDING = 10;
const UNANSWERED_LISTED = 10;

/** Staff, moderators and admins; anonymous callers are asked to log in (a private community is already 404). */
export function assertMayViewInsights(access: CommunityAccess): void {
  if (!access.actor) throw unauthorized();
  if (!can(access, "insights.view")) throw forbidden("Only staff and moderators can see the insights.");
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
  const days = daysBetween(from, to);
  if (days > RANGE_DAYS_MAX) throw validationFailed({ from: "Ask for at most two years." });
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

/** What happened, cut into buckets: topics, event counts, deflected visits, new members, rewards. */
interface Activity {
  topics: TopicRow[];
  counts: { type: string; slotStart: number; n: number }[];
  deflectedAt: number[];
  joinedAt: number[];
  rewards: { at: number; valueCents: number }[];
}

function figuresPerBucket(activity: Activity, buckets: Buckets, settings: InsightsSettings): Figures[] {
  const size = buckets.dates.length;
  const empty = () => Array.from({ length: size }, () => 0);
  const topics: TopicRow[][] = Array.from({ length: size }, () => []);
  for (const t of activity.topics) topics[bucketOf(buckets, t.createdAt)]?.push(t);
  const tally = (list: number[], weights?: number[]) => {
    const out = empty();
    list.forEach((at, i) => {
      const b = bucketOf(buckets, at);
      if (b >= 0) out[b] += weights ? weights[i] : 1;
    });
    return out;
  };
  const searches = empty();
  const shown = empty();
  for (const c of activity.counts) {
    const b = bucketOf(buckets, c.slotStart);
    if (b < 0) continue;
    if (c.type === "search_shown") searches[b] += c.n;
    if (c.type === "suggestion_shown") shown[b] += c.n;
  }
  const deflected = tally(activity.deflectedAt);
  const joined = tally(activity.joinedAt);
  const rewards = tally(
    activity.rewards.map((r) => r.at),
    activity.rewards.map((r) => r.valueCents),
  );
  return topics.map((rows, b) => ({
    ...topicFigures(rows),
    deflected: deflected[b],
    searches: searches[b],
    suggestionsShown: shown[b],
    newMembers: joined[b],
    roi: roiOf(settings, deflected[b], rewards[b]),
  }));
}

/** The figures of [startMs, endMs) as one bucket (rates and the median taken from the rows, not from buckets). */
function total(activity: Activity, startMs: number, endMs: number, settings: InsightsSettings): Figures {
  return figuresPerBucket(activity, { dates: [""], bounds: [startMs, endMs] }, settings)[0];
}

function seriesRow(date: string, f: Figures): SeriesRow {
  const { topicsByKind: _byKind, roi, ...counts } = f;
  return { date, ...counts, savingsCents: roi.savingsCents, rewardsCents: roi.rewardsCents, netCents: roi.netCents };
}

/** The whole dashboard of one community, range, interval and optional category. */
export async function loadInsights(deps: Deps, access: CommunityAccess, query: InsightsQuery) {
  assertMayViewInsights(access);
  const communityId = access.community.id;
  const settings = await insightsSettings(deps.db, communityId);
  const range = resolveRange(query, localDate(deps.clock.now(), settings.timezone));
  const categoryId = query.category ?? null;
  if (categoryId !== null) {
    const category = await deps.db
      .selectFrom("categories")
      .select("id")
      .where("id", "=", categoryId)
      .where("communityId", "=", communityId)
      .executeTakeFirst();
    if (!category) throw validationFailed({ category: "Unknown category." });
  }
  const tz = settings.timezone;
  const previousStart = startOfDate(range.previousFrom, tz);
  const fromMs = startOfDate(range.from, tz);
  const endMs = startOfDate(addDays(range.to, 1), tz);
  const both: Scope = { communityId, categoryId, fromMs: previousStart, endMs };
  const current: Scope = { ...both, fromMs };
  const previous: Scope = { ...both, endMs: fromMs };
  const [
    topics,
    deflection,
    joinedAt,
    rewards,
    answers,
    answersBefore,
    members,
    staff,
    active,
    marketplace,
    waiting,
    ideas,
  ] = await Promise.all([
    topicRows(deps.db, both),
    deflectionActivity(deps, communityId, previousStart, endMs),
    membershipStarts(deps.db, both),
    fulfilledRewards(deps.db, both),
    answerCounts(deps.db, current),
    answerCounts(deps.db, previous),
    topContributors(deps.db, current, false, TOP_CONTRIBUTORS),
    topContributors(deps.db, current, true, TOP_CONTRIBUTORS),
    activeMembers(deps.db, both, fromMs),
    marketplaceFigures(deps.db, current),
    oldestUnanswered(deps.db, current, visibleTopicsSql(topicViewer(access)), UNANSWERED_LISTED),
    ideaFiguresFor(deps, access),
  ]);
  const activity: Activity = { topics, ...deflection, joinedAt, rewards };
  const buckets = bucketsOf(range.from, range.to, query.interval, tz);
  const share = (a: { staff: number; members: number }) => rate(a.members, a.members + a.staff);
  const locale = searchLocale(access.community.locale);
  return {
    from: range.from,
    to: range.to,
    interval: query.interval,
    category: categoryId,
    timezone: tz,
    summary: {
      ...total(activity, fromMs, endMs, settings),
      communityAnswerShare: share(answers),
      activeMembers: active.current,
      marketplace,
    } satisfies Summary,
    /** The same figures for the period of the same length just before, for the change. */
    previous: {
      from: range.previousFrom,
      to: addDays(range.from, -1),
      ...total(activity, previousStart, fromMs, settings),
      communityAnswerShare: share(answersBefore),
      activeMembers: active.previous,
    },
    series: figuresPerBucket(activity, buckets, settings).map((f, i) => seriesRow(buckets.dates[i], f)),
    topContributors: [...members, ...staff],
    /** The ideas pipeline as it stands (not by range): ideas per status, and days from new to done. */
    ideas,
    trending: trending(
      topics.filter((t) => t.createdAt >= fromMs),
      topics.filter((t) => t.createdAt < fromMs),
      locale,
      TRENDING,
    ),
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
  assertMayViewInsights(access);
  if (!can(access, "insights.configure")) throw forbidden("Only staff and admins can change the insights settings.");
  return saveInsightsSettings(deps, access.community.id, input);
}
