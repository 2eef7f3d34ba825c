import type { Deps } from "../core/deps.ts";
import { deflectionActivity, type SearchLocale } from "../search/index.ts";
import { answerRows, membershipStarts, postingRows, type Scope, topicRows } from "./insights.queries.ts";
import {
  type Term,
  type TopicCounts,
  countTopic,
  firstResponseMs,
  noTopicCounts,
  topicTerms,
} from "./insights.metrics.ts";
import { addDays, bucketOf, bucketsOf, startOfDate } from "./insights.time.ts";

/**
 * The figures of a span of a community's local days, computed from the rows themselves: what a
 * dashboard reads live (today, and any day not rolled up) and what the rollup job stores. Both
 * paths go through this one function, so a rolled-up day holds exactly what live reading finds.
 * Topics count on the day they were created, answers and posts on the day they were posted; topic
 * figures are per category (0: none), the rest is community-wide.
 */
export interface Basis {
  communityId: number;
  timezone: string;
  locale: SearchLocale;
}

/** Topics without a category are kept under this id. */
export const NO_CATEGORY = 0;

export interface CommunityCounts {
  searches: number;
  suggestionsShown: number;
  deflected: number;
  newMembers: number;
}

export const COMMUNITY_COUNTS: readonly (keyof CommunityCounts)[] = [
  "searches",
  "suggestionsShown",
  "deflected",
  "newMembers",
];

type PerCategory = { day: string; categoryId: number };

export interface DayRows {
  /** Every day of the span, with its community-wide counts. */
  days: ({ day: string } & CommunityCounts)[];
  daily: (PerCategory & TopicCounts)[];
  responses: (PerCategory & { topicId: number; responseMs: number })[];
  contributors: (PerCategory & { userId: number; answers: number; accepted: number })[];
  active: (PerCategory & { userId: number })[];
  terms: (PerCategory & Term & { firstAt: number; topics: number })[];
}

const DAY_MS = 86_400_000;

/** The local dates from `from` to `to`, both included. */
export function datesOf(from: string, to: string): string[] {
  const dates: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= end; ms += DAY_MS)
    dates.push(new Date(ms).toISOString().slice(0, 10));
  return dates;
}

/** A map that makes its missing entries. */
function table<V>(make: () => V) {
  const map = new Map<string, V>();
  return {
    map,
    at(key: string): V {
      let value = map.get(key);
      if (value === undefined) {
        value = make();
        map.set(key, value);
      }
      return value;
    },
  };
}

/**
 * The rows of the local days `from`..`to` of a community, of one category or (null) of all,
 * each category apart. Five queries.
 */
export async function computeDays(
  deps: Pick<Deps, "db" | "clock">,
  basis: Basis,
  span: { from: string; to: string },
  categoryId: number | null,
): Promise<DayRows> {
  const { communityId, timezone, locale } = basis;
  const fromMs = startOfDate(span.from, timezone);
  const endMs = startOfDate(addDays(span.to, 1), timezone);
  const scope: Scope = { communityId, categoryId, fromMs, endMs };
  const [topics, answers, posts, joined, deflection] = await Promise.all([
    topicRows(deps.db, scope),
    answerRows(deps.db, scope),
    postingRows(deps.db, scope),
    membershipStarts(deps.db, scope),
    deflectionActivity(deps, communityId, fromMs, endMs, timezone),
  ]);
  // The local day of an instant: a binary search over the span's midnights (a time zone lookup per day, not per row).
  const midnights = bucketsOf(span.from, span.to, "day", timezone);
  const dayOf = (ms: number) => midnights.dates[bucketOf(midnights, ms)];
  const keyOf = (day: string, category: number | null) => `${day}|${category ?? NO_CATEGORY}`;
  const split = (key: string) => {
    const [day, category] = key.split("|");
    return { day, categoryId: Number(category) };
  };

  const days = new Map(
    midnights.dates.map((day) => [
      day,
      { day, searches: 0, suggestionsShown: 0, deflected: 0, newMembers: 0 } as { day: string } & CommunityCounts,
    ]),
  );
  const count = (ms: number, field: keyof CommunityCounts, n = 1) => {
    const entry = days.get(dayOf(ms));
    if (entry) entry[field] += n;
  };
  for (const c of deflection.counts) {
    if (c.type === "search_shown") count(c.slotStart, "searches", c.n);
    if (c.type === "suggestion_shown") count(c.slotStart, "suggestionsShown", c.n);
  }
  for (const at of deflection.deflectedAt) count(at, "deflected");
  for (const at of joined) count(at, "newMembers");

  const daily = table(noTopicCounts);
  const responses: DayRows["responses"] = [];
  const terms = table(() => ({ label: "", firstAt: 0, topics: 0 }));
  for (const t of topics) {
    const key = keyOf(dayOf(t.createdAt), t.categoryId);
    countTopic(daily.at(key), t);
    const ms = firstResponseMs(t);
    if (ms !== null) responses.push({ ...split(key), topicId: t.id, responseMs: ms });
    for (const term of topicTerms(t, locale)) {
      const entry = terms.at(`${key}|${term.type}|${term.term}`);
      // Topics come oldest first: the first one to use a term gives its label.
      if (entry.topics === 0) Object.assign(entry, { label: term.label, firstAt: t.createdAt });
      entry.topics += 1;
    }
  }
  const contributors = table(() => ({ answers: 0, accepted: 0 }));
  for (const a of answers) {
    const key = keyOf(dayOf(a.at), a.categoryId);
    daily.at(key)[a.official ? "staffAnswers" : "memberAnswers"] += 1;
    const entry = contributors.at(`${key}|${a.userId}`);
    entry.answers += 1;
    if (a.accepted) entry.accepted += 1;
  }
  const active = new Set(posts.map((p) => `${keyOf(dayOf(p.at), p.categoryId)}|${p.userId}`));

  return {
    days: [...days.values()],
    daily: [...daily.map].map(([key, counts]) => ({ ...split(key), ...counts })),
    responses,
    contributors: [...contributors.map].map(([key, c]) => {
      const [day, category, user] = key.split("|");
      return { day, categoryId: Number(category), userId: Number(user), ...c };
    }),
    active: [...active].map((key) => {
      const [day, category, user] = key.split("|");
      return { day, categoryId: Number(category), userId: Number(user) };
    }),
    terms: [...terms.map].map(([key, v]) => {
      const [day, category, type, ...term] = key.split("|");
      return { day, categoryId: Number(category), type: type as Term["type"], term: term.join("|"), ...v };
    }),
  };
}
