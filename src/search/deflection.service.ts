import { sql } from "kysely";
import type { Deps } from "../core/deps.ts";
import type { DeflectionEventType } from "../db/schema.ts";
import type { RateLimit } from "../core/config.ts";
import { forbidden, unauthorized, validationFailed } from "../core/errors.ts";
import { hitRateLimit } from "../lib/rate-limit.ts";

import type { SearchAccess } from "./search.service.ts";
import type { DeflectionEventInput } from "./search.schema.ts";
import { can } from "../access/privileges.ts";
import { type DeflectionToken, type ShownKind, readDeflectionToken } from "./deflection.token.ts";
import { DAY_MS } from "../lib/durations.ts";
import { localDate } from "../lib/zoned-time.ts";

/**
 * Deflection: did suggestions and search answer a customer who would otherwise have posted?
 * Events carry the community, a type, a time, and only a random visit id and/or the member's id.
 * A visit is one deflected contact when it opened a suggestion (or a solved topic or an article
 * from the search results) and posted no topic within DEFLECTION_WINDOW_MS after any such open.
 * It counts on the day (UTC) of its first such open, once the window after its last open has passed.
 * A visit is its visit id, or a signed-in member's day when an event has none; the events echoing one
 * token belong to the visit that echoed it first, so made-up visit ids cannot multiply one list shown.
 */
export const DEFLECTION_WINDOW_MS = 30 * 60_000;
/** Events a client (IP address) may send per minute; they need no login. */
export const DEFLECTION_RATE_LIMIT: RateLimit = { max: 120, windowMs: 60_000 };
const STATS_DAYS_MAX = 366;

export interface DeflectionEvent {
  communityId: number;
  type: DeflectionEventType;
  visitId: string | null;
  userId: number | null;
  topicId?: number | null;
  articleId?: number | null;
  /** A second event with the same key in the community is dropped. */
  dedupeKey?: string | null;
  /** The id of the token a client's event echoed. */
  tokenId?: string | null;
  /** Recorded at the time its topic was posted rather than now (topic_posted: see recordTopicPosted). */
  atTopicPosting?: boolean;
}

/**
 * Records one event. A topic or article must belong to the community (422 otherwise); whether the
 * topic was solved is kept with the event, since it may change later. Call it from the server
 * where an event happens there (topic_posted after createTopic, with the form's visitId if any).
 */
export async function recordDeflectionEvent(deps: Pick<Deps, "db" | "clock">, event: DeflectionEvent): Promise<void> {
  let solved = 0;
  let at = deps.clock.now();
  if (event.topicId) {
    const topic = await deps.db
      .selectFrom("topics")
      .select(["communityId", "acceptedReplyId", "createdAt"])
      .where("id", "=", event.topicId)
      .executeTakeFirst();
    if (!topic || topic.communityId !== event.communityId) throw validationFailed({ topicId: "Unknown topic." });
    solved = topic.acceptedReplyId !== null ? 1 : 0;
    if (event.atTopicPosting) at = Math.min(at, Number(topic.createdAt));
  }
  if (event.articleId) {
    const article = await deps.db
      .selectFrom("articles")
      .select("communityId")
      .where("id", "=", event.articleId)
      .executeTakeFirst();
    if (!article || article.communityId !== event.communityId)
      throw validationFailed({ articleId: "Unknown article." });
    solved = 1;
  }
  await deps.db
    .insertInto("deflectionEvents")
    .values({
      communityId: event.communityId,
      type: event.type,
      visitId: event.visitId,
      userId: event.userId,
      topicId: event.topicId ?? null,
      articleId: event.articleId ?? null,
      solved,
      createdAt: at,
      dedupeKey: event.dedupeKey ?? null,
      tokenId: event.tokenId ?? null,
    })
    .onConflict((oc) => oc.columns(["communityId", "dedupeKey"]).doNothing())
    .execute();
}

/**
 * Server-side topic_posted, for the new-topic use case (API and form): the member's id, and the
 * visit id when the form carried one (the client script adds a hidden `visitId` field); a
 * malformed visit id is ignored rather than failing the post. Recorded when the topic is submitted,
 * held for review or not (a held question was asked, approved or not), once per topic: the
 * subscriber's delivery can run twice (at least once). Dated when the member posted, even if the
 * delivery runs later: a later date would count the suggestions opened before it as a deflection.
 */
export async function recordTopicPosted(
  deps: Pick<Deps, "db" | "clock">,
  props: { communityId: number; topicId: number; userId: number; visitId?: unknown },
): Promise<void> {
  const visitId =
    typeof props.visitId === "string" && /^[A-Za-z0-9_-]{8,64}$/.test(props.visitId) ? props.visitId : null;
  await recordDeflectionEvent(deps, {
    communityId: props.communityId,
    type: "topic_posted",
    visitId,
    userId: props.userId,
    topicId: props.topicId,
    // Not the shape of a client's key (type:visit:query:target), so the two never meet.
    dedupeKey: `topic_posted:t${props.topicId}`,
    atTopicPosting: true,
  });
}

/** Which events each kind of list may prove: what it showed, what was opened from it, a post after it. */
const PROVES: Record<ShownKind, readonly DeflectionEventType[]> = {
  search: ["search_shown", "result_opened", "topic_posted"],
  suggestions: ["suggestion_shown", "suggestion_opened", "topic_posted"],
};

/** The token's verdict on an event: the community's, unexpired, of the right list, opening only what it listed. */
function checkToken(token: DeflectionToken | null, communityId: number, input: DeflectionEventInput): void {
  const refuse = (why: string) => validationFailed({ token: why });
  if (!token || token.communityId !== communityId) throw refuse("Unknown or expired token: search again.");
  if (!PROVES[token.kind].includes(input.type)) throw refuse(`This token does not prove a ${input.type} event.`);
  // A list shown names nothing: an id there would only count an unrelated topic (and tell whether it exists).
  if ((input.type === "search_shown" || input.type === "suggestion_shown") && (input.topicId || input.articleId))
    throw validationFailed({ topicId: "A list shown names no topic or article: only an open does." });
  if (input.type !== "result_opened" && input.type !== "suggestion_opened") return;
  // Everything the event names must have been listed: an unlisted article beside a listed topic
  // would otherwise count an open of an unsolved topic as a solved (deflecting) one.
  const named = input.articleId !== undefined || input.topicId !== undefined;
  const listed =
    named &&
    (input.articleId === undefined || token.articleIds.has(input.articleId)) &&
    (input.topicId === undefined || token.topicIds.has(input.topicId));
  if (!listed) throw refuse("What was opened was not listed.");
}

/**
 * A topic_posted sent by a client (the server records its own after each new topic) names no topic,
 * or one the caller posted in this community: anyone else's would be counted as this visit's
 * contact. Any other id gets the same 422, so nothing tells whether it exists.
 */
async function checkOwnTopic(deps: Deps, access: SearchAccess, topicId: number | undefined): Promise<void> {
  if (topicId === undefined) return;
  const own =
    access.actor !== null &&
    (await deps.db
      .selectFrom("topics")
      .select("id")
      .where("id", "=", topicId)
      .where("communityId", "=", access.community.id)
      .where("authorId", "=", access.actor.id)
      .executeTakeFirst()) !== undefined;
  if (!own) throw validationFailed({ topicId: "Name a topic you posted in this community." });
}

/**
 * POST .../deflection-events: anyone who can see the community, rate-limited per client address,
 * with the token of the search or suggestions shown. Kept once per visit, query, type and target,
 * so reloading a page or clicking a result twice counts once.
 */
export async function postDeflectionEvent(
  deps: Deps,
  access: SearchAccess,
  input: DeflectionEventInput,
  clientKey: string,
): Promise<void> {
  const now = deps.clock.now();
  await hitRateLimit(deps.db, `deflect:${clientKey}`, DEFLECTION_RATE_LIMIT, now);
  const token = await readDeflectionToken(deps.db, input.token, now);
  checkToken(token, access.community.id, input);
  if (input.type === "topic_posted") await checkOwnTopic(deps, access, input.topicId);
  const target = input.articleId ? `a${input.articleId}` : input.topicId ? `t${input.topicId}` : "";
  await recordDeflectionEvent(deps, {
    dedupeKey: `${input.type}:${input.visitId}:${token!.queryHash}:${target}`,
    tokenId: token!.id,
    communityId: access.community.id,
    type: input.type,
    visitId: input.visitId,
    userId: access.actor?.id ?? null,
    topicId: input.topicId,
    articleId: input.articleId,
  });
}

export interface DeflectionDay {
  date: string;
  searches: number;
  suggestionsShown: number;
  suggestionsOpened: number;
  resultsOpened: number;
  topicsPosted: number;
  deflected: number;
}

const COUNTED: Record<DeflectionEventType, keyof Omit<DeflectionDay, "date" | "deflected">> = {
  search_shown: "searches",
  suggestion_shown: "suggestionsShown",
  suggestion_opened: "suggestionsOpened",
  result_opened: "resultsOpened",
  topic_posted: "topicsPosted",
};

const dayStart = (date: string) => Date.parse(`${date}T00:00:00Z`);
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface VisitEvent {
  type: DeflectionEventType;
  visitId: string | null;
  userId: number | null;
  solved: number;
  createdAt: number;
  tokenId?: string | null;
}

/** The days a report cuts time into: deflectionStats' are UTC, the insights domain's the community's. */
interface CountRange {
  fromMs: number;
  endMs: number;
  now: number;
  timezone: string;
}

/**
 * The visit id each event counts for. A token proves one list shown to one visit: its events all
 * count for the visit that echoed it first, whatever visit ids came with it later.
 */
function visitIdsOf(events: VisitEvent[]): (e: VisitEvent) => string | null {
  const firstEcho = new Map<string, VisitEvent>();
  for (const e of events) {
    const first = e.tokenId ? firstEcho.get(e.tokenId) : undefined;
    if (e.tokenId && (!first || Number(e.createdAt) < Number(first.createdAt))) firstEcho.set(e.tokenId, e);
  }
  return (e) => (e.tokenId && firstEcho.get(e.tokenId)?.visitId) || e.visitId;
}

/**
 * When each deflected visit began (its first qualifying open), for the visits beginning in the
 * range whose 30-minute window has passed, from the events around the range.
 */
export function deflectedVisitStarts(events: VisitEvent[], range: CountRange): number[] {
  const qualifies = (e: VisitEvent) => e.type === "suggestion_opened" || (e.type === "result_opened" && e.solved === 1);
  const visitIdOf = visitIdsOf(events);
  const visits = new Map<string, { opens: number[]; visitIds: Set<string>; userIds: Set<number> }>();
  const postsByVisit = new Map<string, number[]>();
  const postsByUser = new Map<number, number[]>();
  for (const e of events) {
    const at = Number(e.createdAt);
    const visitId = visitIdOf(e);
    if (e.type === "topic_posted") {
      if (visitId) postsByVisit.set(visitId, [...(postsByVisit.get(visitId) ?? []), at]);
      if (e.userId !== null) postsByUser.set(e.userId, [...(postsByUser.get(e.userId) ?? []), at]);
    } else if (qualifies(e)) {
      // Without a visit id, a signed-in member's visit is their day: deflected on two days, counted twice.
      const key = visitId ?? (e.userId !== null ? `user:${e.userId}:${localDate(at, range.timezone)}` : null);
      if (!key) continue;
      const visit = visits.get(key) ?? { opens: [], visitIds: new Set<string>(), userIds: new Set<number>() };
      visit.opens.push(at);
      if (visitId) visit.visitIds.add(visitId);
      if (e.userId !== null) visit.userIds.add(e.userId);
      visits.set(key, visit);
    }
  }
  const starts: number[] = [];
  for (const visit of visits.values()) {
    const first = Math.min(...visit.opens);
    const last = Math.max(...visit.opens);
    if (first < range.fromMs || first >= range.endMs || range.now < last + DEFLECTION_WINDOW_MS) continue;
    const posts = [
      ...[...visit.visitIds].flatMap((v) => postsByVisit.get(v) ?? []),
      ...[...visit.userIds].flatMap((u) => postsByUser.get(u) ?? []),
    ];
    const posted = visit.opens.some((open) => posts.some((p) => p >= open && p <= open + DEFLECTION_WINDOW_MS));
    if (!posted) starts.push(first);
  }
  return starts;
}

/** Deflected visits by day (UTC epoch day number) from the events around the range. */
export function countDeflected(events: VisitEvent[], range: CountRange): Map<number, number> {
  const deflected = new Map<number, number>();
  for (const first of deflectedVisitStarts(events, range)) {
    const day = Math.floor(first / DAY_MS);
    deflected.set(day, (deflected.get(day) ?? 0) + 1);
  }
  return deflected;
}

/** The events that decide which visits of [fromMs, endMs) were deflected. */
function visitEvents(deps: Pick<Deps, "db">, communityId: number, fromMs: number, endMs: number) {
  // Visits starting the day before count toward nothing but may hold the open a post answers.
  return (
    deps.db
      .selectFrom("deflectionEvents")
      .select(["type", "visitId", "userId", "solved", "createdAt", "tokenId"])
      .where("communityId", "=", communityId)
      .where("createdAt", ">=", fromMs - DAY_MS)
      .where("createdAt", "<", endMs + DEFLECTION_WINDOW_MS)
      .where((eb) =>
        eb.or([
          eb("type", "in", ["topic_posted", "suggestion_opened"]),
          eb.and([eb("type", "=", "result_opened"), eb("solved", "=", 1)]),
        ]),
      )
      // In the order recorded: of a token's events at the same moment, the first recorded decides its visit.
      .orderBy("id")
      .execute()
  );
}

/** Events are counted in slots this long: every time zone's midnight falls on a slot boundary. */
export const DEFLECTION_SLOT_MS = 15 * 60_000;

/**
 * Deflection activity of [fromMs, endMs) for reports that cut time their own way (the insights
 * domain, in the community's time zone): event counts per type and 15-minute slot, and the start
 * of each deflected visit. Two queries.
 */
export async function deflectionActivity(
  deps: Pick<Deps, "db" | "clock">,
  communityId: number,
  fromMs: number,
  endMs: number,
  timezone: string,
): Promise<{ counts: { type: DeflectionEventType; slotStart: number; n: number }[]; deflectedAt: number[] }> {
  const slot = sql<number>`created_at / ${sql.lit(DEFLECTION_SLOT_MS)}`;
  const [counts, events] = await Promise.all([
    deps.db
      .selectFrom("deflectionEvents")
      .select(["type", slot.as("slot"), (eb) => eb.fn.countAll<number>().as("n")])
      .where("communityId", "=", communityId)
      .where("createdAt", ">=", fromMs)
      .where("createdAt", "<", endMs)
      .groupBy(["type", slot])
      .execute(),
    visitEvents(deps, communityId, fromMs, endMs),
  ]);
  return {
    counts: counts.map((c) => ({
      type: c.type,
      slotStart: Math.floor(Number(c.slot)) * DEFLECTION_SLOT_MS,
      n: Number(c.n),
    })),
    deflectedAt: deflectedVisitStarts(events, { fromMs, endMs, now: deps.clock.now(), timezone }),
  };
}

/** Counts per day (UTC) for staff: events by type and deflected contacts. Two queries. */
export async function deflectionStats(deps: Deps, access: SearchAccess, input: { from?: string; to?: string }) {
  if (!access.actor) throw unauthorized();
  if (!can(access, "stats.deflection")) throw forbidden("Only staff can see deflection statistics.");
  const now = deps.clock.now();
  const toMs = input.to ? dayStart(input.to) : Math.floor(now / DAY_MS) * DAY_MS;
  const fromMs = input.from ? dayStart(input.from) : toMs - 29 * DAY_MS;
  if (fromMs > toMs) throw validationFailed({ from: "The first day must not be after the last." });
  if ((toMs - fromMs) / DAY_MS + 1 > STATS_DAYS_MAX)
    throw validationFailed({ from: `Ask for at most ${STATS_DAYS_MAX} days.` });
  const endMs = toMs + DAY_MS;
  const communityId = access.community.id;
  const day = sql<number>`created_at / ${sql.lit(DAY_MS)}`;
  const [counts, events] = await Promise.all([
    deps.db
      .selectFrom("deflectionEvents")
      .select(["type", day.as("day"), (eb) => eb.fn.countAll<number>().as("n")])
      .where("communityId", "=", communityId)
      .where("createdAt", ">=", fromMs)
      .where("createdAt", "<", endMs)
      .groupBy(["type", day])
      .execute(),
    visitEvents(deps, communityId, fromMs, endMs),
  ]);
  const deflected = countDeflected(events, { fromMs, endMs, now, timezone: "UTC" });
  const days: DeflectionDay[] = [];
  for (let ms = fromMs; ms < endMs; ms += DAY_MS) {
    days.push({
      date: dateOf(ms),
      searches: 0,
      suggestionsShown: 0,
      suggestionsOpened: 0,
      resultsOpened: 0,
      topicsPosted: 0,
      deflected: deflected.get(ms / DAY_MS) ?? 0,
    });
  }
  for (const row of counts) {
    const entry = days[Number(row.day) - fromMs / DAY_MS];
    const field = COUNTED[row.type];
    if (entry && field) entry[field] += Number(row.n);
  }
  const totals = days.reduce(
    (sum, d) => ({
      searches: sum.searches + d.searches,
      suggestionsShown: sum.suggestionsShown + d.suggestionsShown,
      suggestionsOpened: sum.suggestionsOpened + d.suggestionsOpened,
      resultsOpened: sum.resultsOpened + d.resultsOpened,
      topicsPosted: sum.topicsPosted + d.topicsPosted,
      deflected: sum.deflected + d.deflected,
    }),
    { searches: 0, suggestionsShown: 0, suggestionsOpened: 0, resultsOpened: 0, topicsPosted: 0, deflected: 0 },
  );
  return { from: dateOf(fromMs), to: dateOf(toMs), days, totals };
}
