import { sql } from "kysely";
import { forbidden, unauthorized, validationFailed } from "../core/errors.js";
import { hitRateLimit } from "../lib/rate-limit.js";
import { can } from "../access/privileges.js";
/**
 * Deflection: did suggestions and search answer a customer who would otherwise have posted?
 * Events carry the community, a type, a time, and only a random visit id and/or the member's id.
 * A visit is one deflected contact when it opened a suggestion (or a solved topic or an article
 * from the search results) and posted no topic within DEFLECTION_WINDOW_MS after any such open.
 * It counts on the day (UTC) of its first such open, once the window after its last open has passed.
 */
export const DEFLECTION_WINDOW_MS = 30 * 60_000;
/** Events a client (IP address) may send per minute; they need no login. */
export const DEFLECTION_RATE_LIMIT = { max: 120, windowMs: 60_000 };
const DAY_MS = 86_400_000;
const STATS_DAYS_MAX = 366;
/**
 * Records one event. A topic or article must belong to the community (422 otherwise); whether the
 * topic was solved is kept with the event, since it may change later. Call it from the server
 * where an event happens there (topic_posted after createTopic, with the form's visitId if any).
 */
export async function recordDeflectionEvent(deps, event) {
    let solved = 0;
    if (event.topicId) {
        const topic = await deps.db
            .selectFrom("topics")
            .select(["communityId", "acceptedReplyId"])
            .where("id", "=", event.topicId)
            .executeTakeFirst();
        if (!topic || topic.communityId !== event.communityId)
            throw validationFailed({ topicId: "Unknown topic." });
        solved = topic.acceptedReplyId !== null ? 1 : 0;
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
        createdAt: deps.clock.now(),
    })
        .execute();
}
/**
 * Server-side topic_posted, for the new-topic use case (API and form): the member's id, and the
 * visit id when the form carried one (the client script adds a hidden `visitId` field); a
 * malformed visit id is ignored rather than failing the post.
 */
export async function recordTopicPosted(deps, props) {
    const visitId = typeof props.visitId === "string" && /^[A-Za-z0-9_-]{8,64}$/.test(props.visitId) ? props.visitId : null;
    await recordDeflectionEvent(deps, {
        communityId: props.communityId,
        type: "topic_posted",
        visitId,
        userId: props.userId,
        topicId: props.topicId,
    });
}
/** POST .../deflection-events: anyone who can see the community, rate-limited per client address. */
export async function postDeflectionEvent(deps, access, input, clientKey) {
    await hitRateLimit(deps.db, `deflect:${clientKey}`, DEFLECTION_RATE_LIMIT, deps.clock.now());
    await recordDeflectionEvent(deps, {
        communityId: access.community.id,
        type: input.type,
        visitId: input.visitId,
        userId: access.actor?.id ?? null,
        topicId: input.topicId,
        articleId: input.articleId,
    });
}
const COUNTED = {
    suggestion_shown: "suggestionsShown",
    suggestion_opened: "suggestionsOpened",
    result_opened: "resultsOpened",
    topic_posted: "topicsPosted",
};
const dayStart = (date) => Date.parse(`${date}T00:00:00Z`);
const dateOf = (ms) => new Date(ms).toISOString().slice(0, 10);
/** Deflected visits by day (epoch day number) from the events around the range. */
export function countDeflected(events, range) {
    const qualifies = (e) => e.type === "suggestion_opened" || (e.type === "result_opened" && e.solved === 1);
    const visits = new Map();
    const postsByVisit = new Map();
    const postsByUser = new Map();
    for (const e of events) {
        const at = Number(e.createdAt);
        if (e.type === "topic_posted") {
            if (e.visitId)
                postsByVisit.set(e.visitId, [...(postsByVisit.get(e.visitId) ?? []), at]);
            if (e.userId !== null)
                postsByUser.set(e.userId, [...(postsByUser.get(e.userId) ?? []), at]);
        }
        else if (qualifies(e)) {
            const key = e.visitId ?? (e.userId !== null ? `user:${e.userId}` : null);
            if (!key)
                continue;
            const visit = visits.get(key) ?? { opens: [], visitIds: new Set(), userIds: new Set() };
            visit.opens.push(at);
            if (e.visitId)
                visit.visitIds.add(e.visitId);
            if (e.userId !== null)
                visit.userIds.add(e.userId);
            visits.set(key, visit);
        }
    }
    const deflected = new Map();
    for (const visit of visits.values()) {
        const first = Math.min(...visit.opens);
        const last = Math.max(...visit.opens);
        if (first < range.fromMs || first >= range.endMs || range.now < last + DEFLECTION_WINDOW_MS)
            continue;
        const posts = [
            ...[...visit.visitIds].flatMap((v) => postsByVisit.get(v) ?? []),
            ...[...visit.userIds].flatMap((u) => postsByUser.get(u) ?? []),
        ];
        const posted = visit.opens.some((open) => posts.some((p) => p >= open && p <= open + DEFLECTION_WINDOW_MS));
        if (posted)
            continue;
        const day = Math.floor(first / DAY_MS);
        deflected.set(day, (deflected.get(day) ?? 0) + 1);
    }
    return deflected;
}
/** Counts per day (UTC) for staff: events by type and deflected contacts. Two queries. */
export async function deflectionStats(deps, access, input) {
    if (!access.actor)
        throw unauthorized();
    if (!can(access, "stats.deflection"))
        throw forbidden("Only staff can see deflection statistics.");
    const now = deps.clock.now();
    const toMs = input.to ? dayStart(input.to) : Math.floor(now / DAY_MS) * DAY_MS;
    const fromMs = input.from ? dayStart(input.from) : toMs - 29 * DAY_MS;
    if (fromMs > toMs)
        throw validationFailed({ from: "The first day must not be after the last." });
    if ((toMs - fromMs) / DAY_MS + 1 > STATS_DAYS_MAX)
        throw validationFailed({ from: `Ask for at most ${STATS_DAYS_MAX} days.` });
    const endMs = toMs + DAY_MS;
    const communityId = access.community.id;
    const day = sql `created_at / ${sql.lit(DAY_MS)}`;
    const [counts, events] = await Promise.all([
        deps.db
            .selectFrom("deflectionEvents")
            .select(["type", day.as("day"), (eb) => eb.fn.countAll().as("n")])
            .where("communityId", "=", communityId)
            .where("createdAt", ">=", fromMs)
            .where("createdAt", "<", endMs)
            .groupBy(["type", day])
            .execute(),
        // Visits starting the day before count toward nothing but may hold the open a post answers.
        deps.db
            .selectFrom("deflectionEvents")
            .select(["type", "visitId", "userId", "solved", "createdAt"])
            .where("communityId", "=", communityId)
            .where("createdAt", ">=", fromMs - DAY_MS)
            .where("createdAt", "<", endMs + DEFLECTION_WINDOW_MS)
            .where((eb) => eb.or([
            eb("type", "in", ["topic_posted", "suggestion_opened"]),
            eb.and([eb("type", "=", "result_opened"), eb("solved", "=", 1)]),
        ]))
            .execute(),
    ]);
    const deflected = countDeflected(events, { fromMs, endMs, now });
    const days = [];
    for (let ms = fromMs; ms < endMs; ms += DAY_MS) {
        days.push({
            date: dateOf(ms),
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
        if (entry && field)
            entry[field] += Number(row.n);
    }
    const totals = days.reduce((sum, d) => ({
        suggestionsShown: sum.suggestionsShown + d.suggestionsShown,
        suggestionsOpened: sum.suggestionsOpened + d.suggestionsOpened,
        resultsOpened: sum.resultsOpened + d.resultsOpened,
        topicsPosted: sum.topicsPosted + d.topicsPosted,
        deflected: sum.deflected + d.deflected,
    }), { suggestionsShown: 0, suggestionsOpened: 0, resultsOpened: 0, topicsPosted: 0, deflected: 0 });
    return { from: dateOf(fromMs), to: dateOf(toMs), days, totals };
}
