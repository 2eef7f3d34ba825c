import { sql } from "kysely";
import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { Clock } from "../core/clock.ts";
import { defineJob, enqueue } from "../jobs/jobs.ts";
import { DAY_MS } from "../lib/durations.ts";

/**
 * Badges, awarded by rules in the background job queue: a change that may earn one (a post, a
 * vote, an accepted answer, a champion enrolment) only enqueues a check for the member. Each rule
 * names what earned the badge; a badge is kept once per member and source (once per member unless
 * repeatable), so running a check twice awards nothing twice.
 */
interface BadgeRule {
  key: string;
  repeatable: boolean;
  /** What earns the badge now: [""] for a once-only badge, source keys for a repeatable one, [] for nothing. */
  earned(db: Db, communityId: number, userId: number, now: number): Promise<string[]>;
}

const ONCE = [""];

/** The member's replies anyone can read, that answer: a question merged into another topic is another asking. */
function visibleAnswers(db: Db, communityId: number, userId: number) {
  return db
    .selectFrom("replies")
    .innerJoin("topics", "topics.id", "replies.topicId")
    .where("topics.communityId", "=", communityId)
    .where("replies.authorId", "=", userId)
    .where("replies.moderationState", "=", "visible")
    .where("replies.mergedFromTopicId", "is", null)
    .where("topics.moderationState", "=", "visible");
}

async function countOf(query: {
  executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }>;
}): Promise<number> {
  return Number((await query.executeTakeFirstOrThrow()).n);
}

const acceptedAnswers = (db: Db, communityId: number, userId: number) =>
  countOf(
    visibleAnswers(db, communityId, userId)
      .whereRef("topics.acceptedReplyId", "=", "replies.id")
      // An answer to one's own question earns no kudos when accepted, and no badge either; nor one
      // its author accepted (staff may accept their own reply to someone else's question).
      .whereRef("topics.authorId", "!=", "replies.authorId")
      .where((eb) =>
        eb.or([eb("topics.acceptedBy", "is", null), eb("topics.acceptedBy", "!=", eb.ref("replies.authorId"))]),
      )
      .select((eb) => eb.fn.countAll().as("n")),
  );

/** Whether the member posted on each of the last `days` UTC days up to their latest post. */
async function streak(db: Db, communityId: number, userId: number, now: number, days: number): Promise<boolean> {
  const since = now - 2 * days * DAY_MS;
  const rows = await sql<{ day: number }>`select distinct created_at / ${DAY_MS} as day from (
      select t.created_at from topics t where t.community_id = ${communityId} and t.author_id = ${
        userId
      } and t.created_at >= ${since} and t.moderation_state = 'visible'
      union all
      select r.created_at from replies r join topics t on t.id = r.topic_id
        where t.community_id = ${communityId} and r.author_id = ${userId} and r.created_at >= ${
          since
        } and r.moderation_state = 'visible'
    ) posts order by day`.execute(db);
  let run = 0;
  let previous = Number.NaN;
  for (const { day } of rows.rows) {
    run = Number(day) === previous + 1 ? run + 1 : 1;
    previous = Number(day);
    if (run >= days) return true;
  }
  return false;
}

export const BADGES: readonly BadgeRule[] = [
  {
    key: "first_question",
    repeatable: false,
    earned: async (db, communityId, userId) => {
      const n = await countOf(
        db
          .selectFrom("topics")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("communityId", "=", communityId)
          .where("authorId", "=", userId)
          .where("moderationState", "=", "visible"),
      );
      return n >= 1 ? ONCE : [];
    },
  },
  {
    key: "first_answer",
    repeatable: false,
    earned: async (db, communityId, userId) =>
      (await countOf(visibleAnswers(db, communityId, userId).select((eb) => eb.fn.countAll().as("n")))) >= 1
        ? ONCE
        : [],
  },
  {
    key: "first_accepted",
    repeatable: false,
    earned: async (db, c, u) => ((await acceptedAnswers(db, c, u)) >= 1 ? ONCE : []),
  },
  {
    key: "ten_accepted",
    repeatable: false,
    earned: async (db, c, u) => ((await acceptedAnswers(db, c, u)) >= 10 ? ONCE : []),
  },
  {
    key: "great_answer",
    repeatable: true,
    earned: async (db, communityId, userId) => {
      const rows = await visibleAnswers(db, communityId, userId)
        .select("replies.id")
        .where("replies.score", ">=", 10)
        .execute();
      return rows.map((r) => `reply:${r.id}`);
    },
  },
  {
    key: "streak_30",
    repeatable: false,
    earned: async (db, c, u, now) => ((await streak(db, c, u, now, 30)) ? ONCE : []),
  },
  {
    key: "champion",
    repeatable: false,
    earned: async (db, communityId, userId) => {
      const row = await db
        .selectFrom("reputation")
        .select("championSince")
        .where("communityId", "=", communityId)
        .where("userId", "=", userId)
        .executeTakeFirst();
      return row?.championSince != null ? ONCE : [];
    },
  },
];

/** Runs every rule for one member and keeps what is new; returns the badges awarded now. */
export async function awardBadges(
  deps: Pick<Deps, "db" | "clock">,
  communityId: number,
  userId: number,
): Promise<string[]> {
  const awarded: string[] = [];
  const now = deps.clock.now();
  for (const rule of BADGES) {
    for (const sourceKey of await rule.earned(deps.db, communityId, userId, now)) {
      const inserted = await deps.db
        .insertInto("memberBadges")
        .values({ communityId, userId, badge: rule.key, sourceKey: rule.repeatable ? sourceKey : "", awardedAt: now })
        .onConflict((oc) => oc.columns(["communityId", "userId", "badge", "sourceKey"]).doNothing())
        .returning("id")
        .executeTakeFirst();
      if (inserted) awarded.push(rule.key);
    }
  }
  return awarded;
}

export const badgeJob = defineJob<{ communityId: number; userId: number }>({
  name: "reputation.badges",
  run: async (deps, payload) => {
    await awardBadges(deps, payload.communityId, payload.userId);
  },
});

/** Asks for a badge check of these members; pass the transaction of the change that may earn one. */
export async function queueBadgeCheck(
  ctx: { db: Db; clock: Clock },
  communityId: number,
  userIds: number[],
): Promise<void> {
  for (const userId of new Set(userIds)) await enqueue(ctx, badgeJob, { communityId, userId });
}

/** A member's badges, newest first, repeatable ones counted. */
export async function badgesOf(db: Db, communityId: number, userId: number) {
  const rows = await db
    .selectFrom("memberBadges")
    .select(["badge", (eb) => eb.fn.countAll<number>().as("count"), (eb) => eb.fn.max("awardedAt").as("lastAwardedAt")])
    .where("communityId", "=", communityId)
    .where("userId", "=", userId)
    .groupBy("badge")
    .orderBy("lastAwardedAt", "desc")
    .execute();
  return rows.map((r) => ({
    badge: r.badge,
    count: Number(r.count),
    awardedAt: new Date(Number(r.lastAwardedAt)).toISOString(),
  }));
}
