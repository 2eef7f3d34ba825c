import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Database } from "../db/schema.ts";
import type { Actor, Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { Clock } from "../core/clock.ts";
import { notSuspendedAt, type CommunityAccess } from "../access/access.ts";
import { forbidden } from "../core/errors.ts";
import { transaction, type Tx } from "../core/transaction.ts";
import { defineJob, enqueue, freeDedupeKey } from "../jobs/jobs.ts";
import { notify, type ShownWhile } from "../notifications/index.ts";
import { topicStatus } from "../topics/index.ts";
import { topicReadableBy } from "../topics/index.ts";
import { toPublicTopic, topicsByIds } from "../topics/index.ts";
import { certificationsByUser } from "../academy/index.ts";
import { certificationKeys, rankExperts, similarAnswerers, topicKeys } from "./expertise.ts";
import { earlierQuestions, expertiseFor } from "./expertise.service.ts";
import { isRoutable, MAX_ROUNDS, ROUTING_DEFAULTS } from "./routing.policy.ts";
import type { RoutingSettingsInput } from "./routing.schema.ts";
import { can } from "../access/privileges.ts";
import { recordSettingsChange } from "../audit/audit.ts";
import { lockRows } from "../db/row-locks.ts";

type Ctx = { db: Db; clock: Clock };
/** A question held for review is looked at again this often until moderators decide (approval routes it at once). */
const HELD_RETRY_MS = 60 * 60_000;
export type RoutingSettings = { experts: number; rerouteAfterMinutes: number; maxOpen: number };

export async function routingSettings(db: Db, communityId: number): Promise<RoutingSettings> {
  const row = await db
    .selectFrom("routingSettings")
    .select(["experts", "rerouteAfterMinutes", "maxOpen"])
    .where("communityId", "=", communityId)
    .executeTakeFirst();
  return row ?? { ...ROUTING_DEFAULTS };
}

export async function setRoutingSettings(
  deps: Deps,
  access: CommunityAccess,
  input: RoutingSettingsInput,
): Promise<RoutingSettings> {
  if (!can(access, "support.configure")) throw forbidden("Only community admins can change routing.");
  const communityId = access.community.id;
  // The change and its audit entry, as other settings sections record them (audit.ts).
  return transaction(deps, async (tx) => {
    const settings = { ...(await routingSettings(tx.db, communityId)), ...input };
    await tx.db
      .insertInto("routingSettings")
      .values({ communityId, ...settings, updatedAt: deps.clock.now() })
      .onConflict((oc) => oc.column("communityId").doUpdateSet({ ...settings, updatedAt: deps.clock.now() }))
      .execute();
    await recordSettingsChange(tx, access, "settings.routing", input);
    return settings;
  });
}

/**
 * Of the candidates (best first), those routing may pick now: members of the community, not
 * suspended, not opted out, holding fewer open routed questions than the limit. (How recently
 * they posted weighs in the ranking instead of a cut-off.) One query per batch of candidates.
 */
async function eligible(
  deps: Deps,
  topic: { id: number; communityId: number },
  candidates: number[],
  maxOpen: number,
): Promise<Set<number>> {
  const now = deps.clock.now();
  const rows = await deps.db
    .selectFrom("memberships as m")
    .select("m.userId")
    .where("m.communityId", "=", topic.communityId)
    .where("m.userId", "in", candidates)
    // Only experts who may read the question (a champions-only category, say).
    .where(topicReadableBy(sql`${topic.id}`, sql.ref("m.userId")))
    .where(notSuspendedAt(sql.ref("m.suspendedUntil"), now))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("routingPreferences as p")
            .select("p.userId")
            .whereRef("p.userId", "=", "m.userId")
            .where("p.optedOut", "=", 1),
        ),
      ),
    )
    .where(
      (eb) =>
        eb
          .selectFrom("topicRoutes as o")
          .innerJoin("topics as ot", "ot.id", "o.topicId")
          .leftJoin("categories as oc", "oc.id", "ot.categoryId")
          .select((s) => s.fn.countAll<number>().as("n"))
          .whereRef("o.userId", "=", "m.userId")
          // This question's own offer (a retried round checks its experts again) is not extra load.
          .where("o.topicId", "<>", topic.id)
          .where("o.answeredAt", "is", null)
          .where("o.expiredAt", "is", null)
          // Offers of questions no longer the crowd's (locked, hidden, escalated, abandoned, moved to a
          // category only staff answer or the member may not read) do not count.
          .where((w) => w.or([w("oc.scope", "is", null), w("oc.scope", "=", "crowd")]))
          .where(topicReadableBy(sql.ref("o.topicId"), sql.ref("m.userId")))
          .where((w) =>
            w.exists(
              w
                .selectFrom("memberships as om")
                .select("om.userId")
                .whereRef("om.communityId", "=", "ot.communityId")
                .whereRef("om.userId", "=", "m.userId"),
            ),
          )
          .where("ot.acceptedReplyId", "is", null)
          // Nor do those of a round another routed expert answered (see endAnsweredRound).
          .where((w) => w.not(answeredByRoutedExpert(sql.ref("o.topicId"))))
          .where("ot.moderationState", "=", "visible")
          .where("ot.locked", "=", 0)
          .where("ot.escalatedAt", "is", null)
          .where("ot.abandonedAt", "is", null),
      "<",
      maxOpen,
    )
    .execute();
  return new Set(rows.map((r) => r.userId));
}

/** When each of these members last posted (a topic or a reply) in the community. */
async function lastPosts(deps: Deps, communityId: number, userIds: number[]): Promise<Map<number, number>> {
  const last = new Map<number, number>();
  if (userIds.length === 0) return last;
  const [replies, topics] = await Promise.all([
    deps.db
      .selectFrom("replies as r")
      .innerJoin("topics as t", "t.id", "r.topicId")
      .select(["r.authorId as userId", (eb) => eb.fn.max("r.createdAt").as("at")])
      .where("t.communityId", "=", communityId)
      .where("r.authorId", "in", userIds)
      .groupBy("r.authorId")
      .execute(),
    deps.db
      .selectFrom("topics")
      .select(["authorId as userId", (eb) => eb.fn.max("createdAt").as("at")])
      .where("communityId", "=", communityId)
      .where("authorId", "in", userIds)
      .groupBy("authorId")
      .execute(),
  ]);
  for (const row of [...replies, ...topics]) last.set(row.userId, Math.max(last.get(row.userId) ?? 0, Number(row.at)));
  return last;
}

/**
 * Up to `count` experts for a question, skipping `exclude` and anyone not eligible: ranked by
 * their expertise in the question's keys (tags, category, title and body words), with academy
 * certifications counting in the keys their course covers and answers to similar earlier
 * questions credited, weighted by how recently they posted.
 */
async function pickExperts(
  deps: Deps,
  topic: {
    id: number;
    communityId: number;
    tags: string[];
    categoryId: number | null;
    categoryName: string | null;
    title: string;
    body: string;
    locale: string;
  },
  count: number,
  exclude: Set<number>,
  maxOpen: number,
): Promise<number[]> {
  const now = deps.clock.now();
  const keys = topicKeys(topic, topic.locale);
  const entries = (await expertiseFor(deps.db, topic.communityId, keys)).filter((e) => !exclude.has(e.userId));
  const neighbours = similarAnswerers(keys, await earlierQuestions(deps.db, topic, now), now);
  for (const userId of exclude) neighbours.delete(userId);
  const users = [...new Set([...entries.map((e) => e.userId), ...neighbours.keys()])];
  const [lastPostAt, certifications] = await Promise.all([
    lastPosts(deps, topic.communityId, users),
    certificationsByUser(deps.db, topic.communityId, users, now),
  ]);
  const scope = {
    tags: topic.tags,
    categories:
      topic.categoryId !== null && topic.categoryName ? [{ id: topic.categoryId, name: topic.categoryName }] : [],
  };
  const certified = new Map(
    [...certifications].map(([userId, titles]) => [
      userId,
      titles.flatMap((title) => certificationKeys(title, scope, topic.locale)),
    ]),
  );
  const ranked = rankExperts(keys, entries, now, { lastPostAt, certified, neighbours });
  const picked: number[] = [];
  for (let i = 0; i < ranked.length && picked.length < count; i += 50) {
    const batch = ranked.slice(i, i + 50).map((r) => r.userId);
    const ok = await eligible(deps, topic, batch, maxOpen);
    picked.push(...batch.filter((id) => ok.has(id)).slice(0, count - picked.length));
  }
  return picked;
}

/** What isRoutable and topicStatus read of a question (topics joined with their categories). */
const ROUTABILITY = [
  "topics.communityId",
  "topics.kind",
  "topics.acceptedReplyId",
  "topics.answerCount",
  "topics.escalatedAt",
  "topics.abandonedAt",
  "topics.moderationState",
  "topics.locked",
  "categories.scope as categoryScope",
] as const;

/**
 * Whether a routed expert answered the question: once one did, no later round runs and the
 * others' offers are over (withdrawn by endAnsweredRound, and neither listed nor counted as load).
 */
function answeredByRoutedExpert(topicId: RawBuilder<unknown>): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (select 1 from topic_routes ra where ra.topic_id = ${topicId}
    and ra.answered_at is not null)`;
}

/**
 * While an expert's `routed` notification stays shown: their offer is open and no routed expert
 * answered yet, or they answered it. Once it ended (another routed expert answered, also while a
 * racing round's offer is still open; a later round asked others; the question left the crowd or
 * was abandoned), the question no longer waits for them, in the bell, the list, digests and emails
 * not sent yet alike; it is checked when read, so a notification written after its offer ended goes too.
 */
export const routedOfferStands: ShownWhile = (topicId, userId) =>
  sql<SqlBool>`exists (select 1 from topic_routes ro where ro.topic_id = ${topicId} and ro.user_id = ${userId}
    and (ro.answered_at is not null or (ro.expired_at is null and not ${answeredByRoutedExpert(topicId)})))`;

/** Ends the offers `which` selects that are still open (neither answered nor ended). */
async function endOpenOffers(
  ctx: Ctx,
  which: (eb: ExpressionBuilder<Database, "topicRoutes">) => Expression<SqlBool>,
): Promise<void> {
  await ctx.db
    .updateTable("topicRoutes")
    .set({ expiredAt: ctx.clock.now() })
    .where("answeredAt", "is", null)
    .where("expiredAt", "is", null)
    .where(which)
    .execute();
}

/**
 * Once a routed expert answered the question, withdraws the open offers of the other experts
 * (those of the round, and any a re-routing racing with the answer made): the question no longer
 * waits for them. The answer itself stays credited (answeredAt). Idempotent.
 */
function endAnsweredRound(ctx: Ctx, topicId: number) {
  return endOpenOffers(ctx, (eb) => eb.and([eb("topicId", "=", topicId), answeredByRoutedExpert(sql`${topicId}`)]));
}

/** Ends the open offers of a question made in rounds before `round`. */
function endEarlierOffers(ctx: Ctx, topicId: number, round: number) {
  return endOpenOffers(ctx, (eb) => eb.and([eb("topicId", "=", topicId), eb("round", "<", round)]));
}

/**
 * One round of routing: offers the question to the next experts and sets the timer of the next
 * round. Later rounds run only while no routed expert answered and the question is still the
 * crowd's to answer; they withdraw the earlier offers. Once a routed expert answered, a round's
 * timer only withdraws the offers still open (made by a round that raced with the answer). After
 * the last round, one more timer (`round` = MAX_ROUNDS) only ends the last offers, so an expert is
 * not held busy by a question nobody answered. A retried round checks the experts it already
 * picked again (suspended, opted out, over the load limit or no longer able to read it since): it
 * re-notifies those still eligible (notifications are idempotent), ends the others' offers, and
 * picks nobody else, also when every offer of the round ended meanwhile. Only experts holding an
 * open offer of the round, as it stands under the topic's lock, are notified.
 */
async function routeQuestion(deps: Deps, topicId: number, round: number, held = false): Promise<void> {
  const topic = await deps.db
    .selectFrom("topics")
    .innerJoin("communities", "communities.id", "topics.communityId")
    .leftJoin("categories", "categories.id", "topics.categoryId")
    .select([
      ...ROUTABILITY,
      "topics.id",
      "topics.authorId",
      "topics.title",
      "topics.body",
      "topics.tags",
      "topics.categoryId",
      "categories.name as categoryName",
      "communities.slug",
      "communities.locale",
    ])
    .where("topics.id", "=", topicId)
    .executeTakeFirst();
  if (topic?.moderationState === "pending") {
    // Held for review: nobody sees it yet. Its approval routes it at once (topic.created, then
    // resumeRouting); this later look is only a fallback, while it stays held.
    const runAt = deps.clock.now() + HELD_RETRY_MS;
    const dedupeKey = `${roundKey(topicId, round)}:${runAt}`;
    return enqueue(deps, routeJob, { topicId, round, held: true }, { runAt, dedupeKey });
  }
  if (held) {
    // A later look of a held question that is held no more: its approval (or restore) resumed routing
    // then, so this look only resumes it if nothing did (it changed without those events). Running the
    // round itself would run it a second time after the approval's run.
    await resumeRouting(deps, topicId);
    deps.wakeJobs?.();
    return;
  }
  if (!topic || !isRoutable({ ...topic, status: topicStatus(topic) })) {
    // The question left the crowd meanwhile: its open offers end with it.
    await endOpenOffers(deps, (eb) => eb("topicId", "=", topicId));
    return;
  }
  const readRoutes = () =>
    deps.db
      .selectFrom("topicRoutes")
      .select(["userId", "round", "answeredAt", "expiredAt"])
      .where("topicId", "=", topicId)
      .execute();
  let routes = await readRoutes();
  if (routes.some((r) => r.answeredAt !== null)) {
    // Routing stops here: decided under the topic's lock, which the hide of that answer takes too
    // (followRoutedAnswer). Read before it, the answer may be gone since, and that hide may have
    // found this job not yet started (so resumed nothing): routing then goes on.
    const stopped = await deps.db.transaction().execute(async (trx) => {
      await lockRows({ db: trx, dialect: deps.dialect }, "topics", [topicId], { strength: "no key update" });
      if (!(await routedExpertAnswered(trx, topicId))) return false;
      await endAnsweredRound({ db: trx, clock: deps.clock }, topicId);
      return true;
    });
    if (stopped) return;
    routes = await readRoutes();
  }
  if (round >= MAX_ROUNDS) {
    // Nobody answered within the time of the last round: its offers end, nobody else is asked.
    await endEarlierOffers(deps, topicId, round);
    return;
  }
  const settings = await routingSettings(deps.db, topic.communityId);
  const picked = routes.filter((r) => r.round === round);
  const fresh = picked.length === 0;
  let chosen = picked.filter((r) => r.expiredAt === null).map((r) => r.userId);
  let dropped: number[] = [];
  if (!fresh) {
    // A retry: who was picked then may have been suspended or opted out since. Nobody else is
    // picked, even when every offer of the round ended meanwhile: a new expert would get no offer.
    const ok = chosen.length ? await eligible(deps, topic, chosen, settings.maxOpen) : new Set<number>();
    dropped = picked.filter((r) => r.answeredAt === null && !ok.has(r.userId)).map((r) => r.userId);
    chosen = chosen.filter((id) => ok.has(id));
  } else {
    const repliers = await deps.db.selectFrom("replies").select("authorId").where("topicId", "=", topicId).execute();
    const exclude = new Set([topic.authorId, ...routes.map((r) => r.userId), ...repliers.map((r) => r.authorId)]);
    chosen = await pickExperts(
      deps,
      { ...topic, tags: JSON.parse(topic.tags) as string[] },
      settings.experts,
      exclude,
      settings.maxOpen,
    );
  }
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const ctx = { db: trx, clock: deps.clock };
    // Two runs of one round (a retry whose first worker still runs, a resumed round beside its
    // timer) take turns here: the second finds the offers the first made.
    await lockRows({ db: trx, dialect: deps.dialect }, "topics", [topicId], { strength: "no key update" });
    if (round > 0) await endEarlierOffers(ctx, topicId, round);
    // A routed expert answered while the experts were being picked: nobody else is asked.
    if (await routedExpertAnswered(trx, topicId)) return endAnsweredRound(ctx, topicId);
    if (dropped.length)
      await endOpenOffers(ctx, (eb) => eb.and([eb("topicId", "=", topicId), eb("userId", "in", dropped)]));
    if (fresh && chosen.length && !(await roundMade(trx, topicId, round))) {
      await trx
        .insertInto("topicRoutes")
        .values(
          chosen.map((userId) => ({
            topicId,
            userId,
            communityId: topic.communityId,
            round,
            routedAt: now,
            answeredAt: null,
            expiredAt: null,
          })),
        )
        .onConflict((oc) => oc.columns(["topicId", "userId"]).doNothing())
        .execute();
    }
    // Only those holding an open offer of this round now are told (its offers may have ended since
    // they were read, or another run of the round made them).
    const offered = chosen.length ? await roundOffers(trx, topicId, round, chosen) : [];
    const url = `/c/${topic.slug}/t/${topic.id}`;
    await notify(ctx, {
      kind: "routed",
      userIds: offered,
      communityId: topic.communityId,
      topicId,
      eventKey: `routed:${topicId}`,
      data: { title: topic.title, url },
    });
    // After the last round, one more timer ends its offers (see above).
    if (round + 1 <= MAX_ROUNDS) {
      await enqueue(
        ctx,
        routeJob,
        { topicId, round: round + 1 },
        { runAt: now + settings.rerouteAfterMinutes * 60_000, dedupeKey: roundKey(topicId, round + 1) },
      );
    }
  });
  deps.wakeJobs?.();
}

/** Of `userIds`, those holding an open offer (neither answered nor ended) of the question made in `round`. */
async function roundOffers(db: Db, topicId: number, round: number, userIds: number[]): Promise<number[]> {
  const rows = await db
    .selectFrom("topicRoutes")
    .select("userId")
    .where("topicId", "=", topicId)
    .where("round", "=", round)
    .where("userId", "in", userIds)
    .where("answeredAt", "is", null)
    .where("expiredAt", "is", null)
    .execute();
  return rows.map((r) => r.userId);
}

/** Whether `round` of the question made offers (another run of it did, say), ended since or not. */
async function roundMade(db: Db, topicId: number, round: number): Promise<boolean> {
  const row = await db
    .selectFrom("topicRoutes")
    .select("userId")
    .where("topicId", "=", topicId)
    .where("round", "=", round)
    .executeTakeFirst();
  return row !== undefined;
}

/** `held`: the later look of a question a round found held for review (see routeQuestion). */
export const routeJob = defineJob<{ topicId: number; round: number; held?: boolean }>({
  name: "routing.route",
  run: (deps, payload) => routeQuestion(deps, payload.topicId, payload.round, payload.held === true),
});

/** The dedupe key of a round's job (its timer): a round is scheduled once however often it is asked for. */
const roundKey = (topicId: number, round: number) => `route:${topicId}:${round}`;

/** Starts routing a new question; pass the transaction that creates it. */
export async function scheduleRouting(ctx: Ctx, topicId: number): Promise<void> {
  await enqueue(ctx, routeJob, { topicId, round: 0 }, { dedupeKey: roundKey(topicId, 0) });
}

/**
 * Routing of a question that stopped goes on now, from the round that stopped: once a question a
 * round found held for review is approved, or once the only routed expert's answer stopped counting
 * (hidden or deleted). Routing stops at the round whose job found the question answered by a routed
 * expert, held or no longer the crowd's: that job set no timer for the next round. While a round's
 * timer is still pending routing goes on by itself, and nothing is added. Otherwise the round that
 * stopped runs again at once, under a key of its own (`route:<topic>:<round>:after:<job>`), and
 * checks everything again: a question still answered, held or out of the crowd stops again. Its
 * later rounds take the usual keys (no job of them ran, as routing stopped before them).
 */
export async function resumeRouting(ctx: Ctx, topicId: number): Promise<void> {
  const keys = Array.from({ length: MAX_ROUNDS + 1 }, (_, round) => roundKey(topicId, round));
  const rows = await ctx.db
    .selectFrom("jobs")
    .select(["id", "status", "dedupeKey"])
    .where("dedupeKey", "in", keys)
    .execute();
  const jobs = new Map(rows.map((job) => [job.dedupeKey, job]));
  for (let round = 0; round <= MAX_ROUNDS; round++) {
    const job = jobs.get(roundKey(topicId, round));
    // Never routed (not a crowd question when posted), or a timer still to come: nothing to resume.
    if (!job || job.status === "pending") return;
    if (jobs.has(roundKey(topicId, round + 1))) continue;
    // The last timer ran: every round was used. (A round still running may stop as it read the
    // question before this change: it runs again after it, as a retry if it goes on.)
    if (round >= MAX_ROUNDS) return;
    const dedupeKey = await freeDedupeKey(ctx.db, roundKey(topicId, round));
    await enqueue(ctx, routeJob, { topicId, round }, { dedupeKey });
    return;
  }
}

/** Whether a routed expert answered the question (a row of topicRoutes says so). */
async function routedExpertAnswered(db: Db, topicId: number): Promise<boolean> {
  const row = await db
    .selectFrom("topicRoutes")
    .select("userId")
    .where("topicId", "=", topicId)
    .where("answeredAt", "is not", null)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A reply by a routed expert counts as their answer, even after the offer expired; the other
 * experts' offers still open are withdrawn then (ended), so the question no longer waits for them,
 * holds them busy or gets routed again.
 */
export async function markRouteAnswered(ctx: Ctx, topicId: number, userId: number): Promise<void> {
  await ctx.db
    .updateTable("topicRoutes")
    .set({ answeredAt: ctx.clock.now() })
    .where("topicId", "=", topicId)
    .where("userId", "=", userId)
    .where("answeredAt", "is", null)
    .execute();
  // Also on a retried delivery whose first attempt marked the answer but stopped before this.
  await endAnsweredRound(ctx, topicId);
}

/**
 * A routed expert's answer counts while one of their replies to the question is visible: one hidden
 * or deleted (by moderators or its author) leaves it, restored it counts again (markRouteAnswered).
 * When none is left, their route is no longer answered (statistics count the question as not
 * answered by a routed expert) and their offer ends (they answered it; it does not wait for them
 * again); if no other routed expert's answer counts, routing goes on (resumeRouting). Reads the
 * replies as they are, so deliveries in any order, or twice, leave the route as the replies say.
 */
export async function followRoutedAnswer(deps: Deps, topicId: number, userId: number): Promise<void> {
  const route = await deps.db
    .selectFrom("topicRoutes")
    .select("userId")
    .where("topicId", "=", topicId)
    .where("userId", "=", userId)
    .executeTakeFirst();
  if (!route) return;
  const resumed = await transaction(deps, async (tx: Tx) => {
    // Deliveries about the same question take turns, each reading the replies after the other's change.
    await lockRows(tx, "topics", [topicId], { strength: "no key update" });
    const visible = await tx.db
      .selectFrom("replies")
      .select("id")
      .where("topicId", "=", topicId)
      .where("authorId", "=", userId)
      .where("moderationState", "=", "visible")
      .executeTakeFirst();
    if (visible) {
      await markRouteAnswered(tx, topicId, userId);
      return false;
    }
    const now = tx.clock.now();
    const cleared = await tx.db
      .updateTable("topicRoutes")
      .set((eb) => ({ answeredAt: null, expiredAt: eb.fn.coalesce("expiredAt", eb.val(now)) }))
      .where("topicId", "=", topicId)
      .where("userId", "=", userId)
      .where("answeredAt", "is not", null)
      .executeTakeFirst();
    if (Number(cleared.numUpdatedRows) === 0 || (await routedExpertAnswered(tx.db, topicId))) return false;
    await resumeRouting(tx, topicId);
    return true;
  });
  if (resumed) deps.wakeJobs?.();
}

/**
 * Ends the open offers of a question that left the crowd (solved, locked, hidden, deleted, merged,
 * escalated, abandoned, moved to a category only staff answer) and those of the routed members who
 * may no longer read it (moved to a champions-only category, say) or who left its community.
 */
export async function endClosedOffers(ctx: Ctx, topicId: number): Promise<void> {
  const topic = await ctx.db
    .selectFrom("topics")
    .leftJoin("categories", "categories.id", "topics.categoryId")
    .select(ROUTABILITY)
    .where("topics.id", "=", topicId)
    .executeTakeFirst();
  if (!topic || !isRoutable({ ...topic, status: topicStatus(topic) })) {
    await endOpenOffers(ctx, (eb) => eb("topicId", "=", topicId));
    return;
  }
  await endOpenOffers(ctx, (eb) =>
    eb.and([
      eb("topicId", "=", topicId),
      eb.or([
        eb.not(topicReadableBy(sql`${topicId}`, sql.ref("topicRoutes.userId"))),
        eb.not(
          eb.exists(
            eb
              .selectFrom("memberships as om")
              .select("om.userId")
              .where("om.communityId", "=", topic.communityId)
              .whereRef("om.userId", "=", "topicRoutes.userId"),
          ),
        ),
      ]),
    ]),
  );
}

/**
 * A member who left a community (or was removed or banned), or was suspended there, is offered none
 * of its questions any more: their open offers end, with their notifications.
 */
export async function endOffersOfMember(ctx: Ctx, communityId: number, userId: number): Promise<void> {
  await endOpenOffers(ctx, (eb) => eb.and([eb("communityId", "=", communityId), eb("userId", "=", userId)]));
}

/** The member's open offers, newest first: questions still waiting for them that they may still see. */
export async function questionsForYou(deps: Deps, actor: Actor) {
  const offers = await deps.db
    .selectFrom("topicRoutes")
    .innerJoin("topics", "topics.id", "topicRoutes.topicId")
    .innerJoin("communities", "communities.id", "topics.communityId")
    .select(["topicRoutes.topicId", "topicRoutes.routedAt", "communities.slug"])
    .where("topicRoutes.userId", "=", actor.id)
    .where("topicRoutes.answeredAt", "is", null)
    .where("topicRoutes.expiredAt", "is", null)
    .where("topics.acceptedReplyId", "is", null)
    // Another routed expert answered it: it no longer waits for this member.
    .where((eb) => eb.not(answeredByRoutedExpert(sql.ref("topicRoutes.topicId"))))
    // The one visibility rule, as it stands now: the topic may have moved or been hidden since.
    .where(topicReadableBy(sql.ref("topicRoutes.topicId"), sql`${actor.id}`))
    // Offers of a community the member left end with the membership (a public one stays readable).
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("memberships")
          .select("memberships.userId")
          .whereRef("memberships.communityId", "=", "topics.communityId")
          .where("memberships.userId", "=", actor.id),
      ),
    )
    .orderBy("topicRoutes.routedAt", "desc")
    .limit(100)
    .execute();
  const rows = await topicsByIds(
    deps,
    offers.map((o) => o.topicId),
  );
  return offers.flatMap((offer) => {
    const row = rows.get(offer.topicId);
    if (!row || !isRoutable({ ...row, status: topicStatus(row) })) return [];
    return [
      { topic: toPublicTopic(row, { slug: offer.slug }), routedAt: new Date(Number(offer.routedAt)).toISOString() },
    ];
  });
}

export async function isOptedOut(db: Db, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom("routingPreferences")
    .select("optedOut")
    .where("userId", "=", userId)
    .executeTakeFirst();
  return row?.optedOut === 1;
}

/**
 * A member's choice not to be offered questions (in every community). Opting out ends the offers
 * they hold at once, so those questions stop waiting for them; opting back in restores none.
 */
export async function setOptedOut(deps: Deps, userId: number, optedOut: boolean): Promise<boolean> {
  const values = { optedOut: optedOut ? 1 : 0, updatedAt: deps.clock.now() };
  await transaction(deps, async (tx) => {
    await tx.db
      .insertInto("routingPreferences")
      .values({ userId, ...values })
      .onConflict((oc) => oc.column("userId").doUpdateSet(values))
      .execute();
    if (optedOut) await endOpenOffers(tx, (eb) => eb("userId", "=", userId));
  });
  return optedOut;
}
