import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { Db } from "../db/database.ts";
import type { TopicKind } from "../db/schema.ts";
import { STAFF_ROLES } from "../access/access.ts";
import { SOLVABLE_KINDS } from "../topics/index.ts";

/**
 * The SQL of the insights. Every figure is read from the current state of the rows: a topic
 * counts in the category it is in now; a reply that was hidden or deleted after the fact no longer
 * answers anything. Only visible topics count (not pending, hidden, deleted or merged ones).
 */
export interface Scope {
  communityId: number;
  categoryId: number | null;
  fromMs: number;
  endMs: number;
}

export interface TopicRow {
  id: number;
  kind: TopicKind;
  title: string;
  /** JSON array. */
  tags: string;
  createdAt: number;
  solved: boolean;
  abandoned: boolean;
  escalated: boolean;
  routed: boolean;
  answeredByRouted: boolean;
  /** The first visible reply by someone other than the asker; null while there is none. */
  firstAnswerAt: number | null;
}

function topicsInScope(db: Db, scope: Scope) {
  let query = db
    .selectFrom("topics")
    .where("topics.communityId", "=", scope.communityId)
    .where("topics.createdAt", ">=", scope.fromMs)
    .where("topics.createdAt", "<", scope.endMs)
    .where("topics.moderationState", "=", "visible");
  if (scope.categoryId !== null) query = query.where("topics.categoryId", "=", scope.categoryId);
  return query;
}

/** One row per topic created in the scope, with what its answers, solution and escalation say. One query. */
export async function topicRows(db: Db, scope: Scope): Promise<TopicRow[]> {
  const rows = await topicsInScope(db, scope)
    .select((eb) => [
      "topics.id",
      "topics.kind",
      "topics.title",
      "topics.tags",
      "topics.createdAt",
      "topics.acceptedReplyId",
      "topics.abandonedAt",
      eb
        .or([
          eb("topics.escalatedAt", "is not", null),
          eb.exists(
            eb
              .selectFrom("supportCases")
              .select("supportCases.topicId")
              .whereRef("supportCases.topicId", "=", "topics.id")
              .where("supportCases.reason", "!=", "staff_only"),
          ),
        ])
        .as("escalated"),
      eb
        .exists(
          eb.selectFrom("topicRoutes").select("topicRoutes.userId").whereRef("topicRoutes.topicId", "=", "topics.id"),
        )
        .as("routed"),
      eb
        .exists(
          eb
            .selectFrom("topicRoutes")
            .select("topicRoutes.userId")
            .whereRef("topicRoutes.topicId", "=", "topics.id")
            .where("topicRoutes.answeredAt", "is not", null),
        )
        .as("answeredByRouted"),
      eb
        .selectFrom("replies")
        .select((r) => r.fn.min("replies.createdAt").as("first"))
        .whereRef("replies.topicId", "=", "topics.id")
        .whereRef("replies.authorId", "!=", "topics.authorId")
        .where("replies.moderationState", "=", "visible")
        .as("firstAnswerAt"),
    ])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    tags: r.tags,
    createdAt: Number(r.createdAt),
    solved: r.acceptedReplyId !== null,
    abandoned: r.abandonedAt !== null,
    escalated: Boolean(r.escalated),
    routed: Boolean(r.routed),
    answeredByRouted: Boolean(r.answeredByRouted),
    firstAnswerAt: r.firstAnswerAt === null ? null : Number(r.firstAnswerAt),
  }));
}

/** Answers: visible replies to visible questions and problems, by someone other than the asker, posted in the scope. */
function answersInScope(db: Db, scope: Scope) {
  let query = db
    .selectFrom("replies")
    .innerJoin("topics", "topics.id", "replies.topicId")
    .where("topics.communityId", "=", scope.communityId)
    .where("topics.kind", "in", SOLVABLE_KINDS)
    .where("topics.moderationState", "=", "visible")
    .where("replies.moderationState", "=", "visible")
    .whereRef("replies.authorId", "!=", "topics.authorId")
    .where("replies.createdAt", ">=", scope.fromMs)
    .where("replies.createdAt", "<", scope.endMs);
  if (scope.categoryId !== null) query = query.where("topics.categoryId", "=", scope.categoryId);
  return query;
}

/** Answers in the scope, by staff (official replies) and by members. */
export async function answerCounts(db: Db, scope: Scope): Promise<{ staff: number; members: number }> {
  const row = await answersInScope(db, scope)
    .select((eb) => [
      eb.fn.countAll<number>().as("total"),
      eb.fn.sum<number>(eb.case().when("replies.official", "=", 1).then(1).else(0).end()).as("official"),
    ])
    .executeTakeFirstOrThrow();
  const official = Number(row.official ?? 0);
  return { staff: official, members: Number(row.total) - official };
}

export interface Contributor {
  userId: number;
  name: string;
  answers: number;
  accepted: number;
  staff: boolean;
}

/** The members, or the staff (by their role now), with the most answers in the scope. One query. */
export async function topContributors(db: Db, scope: Scope, staff: boolean, limit: number): Promise<Contributor[]> {
  const rows = await answersInScope(db, scope)
    .innerJoin("users", "users.id", "replies.authorId")
    .leftJoin("memberships", (join) =>
      join.onRef("memberships.userId", "=", "replies.authorId").on("memberships.communityId", "=", scope.communityId),
    )
    .where((eb) =>
      staff
        ? eb.or([eb("memberships.role", "in", STAFF_ROLES), eb("users.isPlatformAdmin", "=", 1)])
        : eb.and([
            eb.or([eb("memberships.role", "is", null), eb("memberships.role", "not in", STAFF_ROLES)]),
            eb("users.isPlatformAdmin", "=", 0),
          ]),
    )
    .select((eb) => [
      "replies.authorId",
      "users.name",
      eb.fn.countAll<number>().as("answers"),
      eb.fn
        .sum<number>(eb.case().when("topics.acceptedReplyId", "=", eb.ref("replies.id")).then(1).else(0).end())
        .as("accepted"),
    ])
    .groupBy(["replies.authorId", "users.name"])
    .orderBy("answers", "desc")
    .orderBy("accepted", "desc")
    .orderBy("replies.authorId")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    userId: r.authorId,
    name: r.name,
    answers: Number(r.answers),
    accepted: Number(r.accepted ?? 0),
    staff,
  }));
}

/**
 * Members who posted a topic, reply or comment, in the current range and in the one before it
 * (split at `splitMs`). One query.
 */
export async function activeMembers(
  db: Db,
  scope: Scope,
  splitMs: number,
): Promise<{ current: number; previous: number }> {
  const inCategory = scope.categoryId === null ? sql`1 = 1` : sql`t.category_id = ${scope.categoryId}`;
  const row = await sql<{ current: number; previous: number }>`
    select count(distinct case when at >= ${splitMs} then author_id end) as current,
           count(distinct case when at < ${splitMs} then author_id end) as previous
    from (
      select t.author_id, t.created_at as at from topics t
        where t.community_id = ${scope.communityId} and ${inCategory}
          and t.created_at >= ${scope.fromMs} and t.created_at < ${scope.endMs}
      union all
      select r.author_id, r.created_at from replies r join topics t on t.id = r.topic_id
        where t.community_id = ${scope.communityId} and ${inCategory}
          and r.created_at >= ${scope.fromMs} and r.created_at < ${scope.endMs}
      union all
      select c.author_id, c.created_at from comments c join replies r on r.id = c.reply_id
        join topics t on t.id = r.topic_id
        where t.community_id = ${scope.communityId} and ${inCategory}
          and c.created_at >= ${scope.fromMs} and c.created_at < ${scope.endMs}
    ) posts`.execute(db);
  const r = row.rows[0];
  return { current: Number(r?.current ?? 0), previous: Number(r?.previous ?? 0) };
}

/** When each membership of the community began, in the scope (categories do not apply). */
export async function membershipStarts(db: Db, scope: Scope): Promise<number[]> {
  const rows = await db
    .selectFrom("memberships")
    .select("createdAt")
    .where("communityId", "=", scope.communityId)
    .where("createdAt", ">=", scope.fromMs)
    .where("createdAt", "<", scope.endMs)
    .execute();
  return rows.map((r) => Number(r.createdAt));
}

/** Rewards fulfilled in the scope, with their money value now. */
export async function fulfilledRewards(db: Db, scope: Scope): Promise<{ at: number; valueCents: number }[]> {
  const rows = await db
    .selectFrom("rewardRedemptions")
    .innerJoin("rewards", "rewards.id", "rewardRedemptions.rewardId")
    .select(["rewardRedemptions.decidedAt", "rewards.valueCents"])
    .where("rewardRedemptions.communityId", "=", scope.communityId)
    .where("rewardRedemptions.status", "=", "fulfilled")
    .where("rewardRedemptions.decidedAt", ">=", scope.fromMs)
    .where("rewardRedemptions.decidedAt", "<", scope.endMs)
    .execute();
  return rows.map((r) => ({ at: Number(r.decidedAt), valueCents: Number(r.valueCents) }));
}

/** Unanswered questions of the scope still open, oldest first, for the table on the page. */
export async function oldestUnanswered(db: Db, scope: Scope, visible: RawBuilder<SqlBool>, limit: number) {
  return topicsInScope(db, scope)
    .select(["topics.id", "topics.title", "topics.createdAt"])
    .where("topics.kind", "in", SOLVABLE_KINDS)
    .where("topics.acceptedReplyId", "is", null)
    .where("topics.abandonedAt", "is", null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("replies")
            .select("replies.id")
            .whereRef("replies.topicId", "=", "topics.id")
            .whereRef("replies.authorId", "!=", "topics.authorId")
            .where("replies.moderationState", "=", "visible"),
        ),
      ),
    )
    .where(visible)
    .orderBy("topics.createdAt")
    .orderBy("topics.id")
    .limit(limit)
    .execute();
}
