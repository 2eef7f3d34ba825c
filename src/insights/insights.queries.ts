import { type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Db } from "../db/database.ts";
import type { Database, TopicKind } from "../db/schema.ts";
import { STAFF_ROLES } from "../access/access.ts";
import { SOLVABLE_KINDS, answersTopic, commentInTopic } from "../topics/index.ts";
import { routedAnswerColumns } from "../routing/index.ts";

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
  categoryId: number | null;
  kind: TopicKind;
  title: string;
  /** JSON array. */
  tags: string;
  createdAt: number;
  /** With an accepted reply that is shown. */
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

/**
 * For a query over `topics`: it has an accepted reply that is shown. A hidden solution solves
 * nothing while it is hidden, as a hidden reply answers nothing (a deleted one is withdrawn).
 */
const solvedByShownReply = (eb: ExpressionBuilder<Database, "topics">) =>
  eb.exists(
    eb
      .selectFrom("replies as accepted")
      .select("accepted.id")
      .whereRef("accepted.id", "=", "topics.acceptedReplyId")
      .where("accepted.moderationState", "=", "visible"),
  );

/** One row per topic created in the scope, oldest first, with what its answers, solution and escalation say. */
export async function topicRows(db: Db, scope: Scope): Promise<TopicRow[]> {
  const rows = await topicsInScope(db, scope)
    .select((eb) => [
      "topics.id",
      "topics.categoryId",
      "topics.kind",
      "topics.title",
      "topics.tags",
      "topics.createdAt",
      solvedByShownReply(eb).as("solved"),
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
      ...routedAnswerColumns(eb),
    ])
    .orderBy("topics.createdAt")
    .orderBy("topics.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    categoryId: r.categoryId,
    kind: r.kind,
    title: r.title,
    tags: r.tags,
    createdAt: Number(r.createdAt),
    solved: Boolean(r.solved),
    abandoned: r.abandonedAt !== null,
    escalated: Boolean(r.escalated),
    routed: Boolean(r.routed),
    answeredByRouted: Boolean(r.answeredByRouted),
    firstAnswerAt: r.firstAnswerAt === null ? null : Number(r.firstAnswerAt),
  }));
}

/** Answers (see answersTopic) to visible questions and problems, posted in the scope. */
function answersInScope(db: Db, scope: Scope) {
  // Replies first (by their time index): SQLite keeps the order of a cross join, and a community's
  // topics are many more than a day's replies.
  let query = db
    .selectFrom("replies")
    .crossJoin("topics")
    .where(answersTopic)
    .where("topics.communityId", "=", scope.communityId)
    .where("topics.kind", "in", SOLVABLE_KINDS)
    .where("topics.moderationState", "=", "visible")
    .where("replies.createdAt", ">=", scope.fromMs)
    .where("replies.createdAt", "<", scope.endMs);
  if (scope.categoryId !== null) query = query.where("topics.categoryId", "=", scope.categoryId);
  return query;
}

/** One row per answer in the scope: when, in which category, by whom, official or not, accepted or not. */
export async function answerRows(db: Db, scope: Scope): Promise<AnswerRow[]> {
  const rows = await answersInScope(db, scope)
    .select((eb) => [
      "replies.createdAt",
      "topics.categoryId",
      "replies.authorId",
      "replies.official",
      eb(eb.ref("topics.acceptedReplyId"), "=", eb.ref("replies.id")).as("accepted"),
    ])
    .execute();
  return rows.map((r) => ({
    at: Number(r.createdAt),
    categoryId: r.categoryId,
    userId: r.authorId,
    official: r.official === 1,
    accepted: Boolean(r.accepted),
  }));
}

export interface AnswerRow {
  at: number;
  categoryId: number | null;
  userId: number;
  official: boolean;
  accepted: boolean;
}

/** Who counts as staff in the top contributors: staff and admins of the community (their role now), platform admins. */
export async function staffIds(db: Db, communityId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom("memberships")
    .select("userId")
    .where("communityId", "=", communityId)
    .where("role", "in", STAFF_ROLES)
    .union(db.selectFrom("users").select("id as userId").where("isPlatformAdmin", "=", 1))
    .execute();
  return new Set(rows.map((r) => r.userId));
}

export async function userNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("users").select(["id", "name"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Every topic, reply and comment posted in the scope and shown (the post and what it is on: not
 * held, hidden, deleted or merged): who posted, when, in which category. One query; posts first,
 * by their time indexes (see answersInScope).
 */
export async function postingRows(
  db: Db,
  scope: Scope,
): Promise<{ userId: number; at: number; categoryId: number | null }[]> {
  const inCategory = scope.categoryId === null ? sql`1 = 1` : sql`t.category_id = ${scope.categoryId}`;
  // Result columns come back in camelCase (the CamelCasePlugin).
  const rows = await sql<{ authorId: number; at: number; categoryId: number | null }>`
    select t.author_id, t.created_at as at, t.category_id from topics t
      where t.community_id = ${scope.communityId} and ${inCategory} and t.moderation_state = 'visible'
        and t.created_at >= ${scope.fromMs} and t.created_at < ${scope.endMs}
    union all
    select r.author_id, r.created_at, t.category_id from replies r cross join topics t
      where t.id = r.topic_id and t.community_id = ${scope.communityId} and ${inCategory}
        and r.moderation_state = 'visible' and t.moderation_state = 'visible'
        and r.created_at >= ${scope.fromMs} and r.created_at < ${scope.endMs}
    union all
    select c.author_id, c.created_at, t.category_id from comments c cross join replies r cross join topics t
      where r.id = c.reply_id and t.id = r.topic_id and t.community_id = ${scope.communityId} and ${inCategory}
        and c.moderation_state = 'visible' and r.moderation_state = 'visible' and t.moderation_state = 'visible'
        and c.created_at >= ${scope.fromMs} and c.created_at < ${scope.endMs}
    union all
    select c.author_id, c.created_at, t.category_id from comments c cross join topics t
      where t.id = c.topic_id and t.community_id = ${scope.communityId} and ${inCategory}
        and c.moderation_state = 'visible' and t.moderation_state = 'visible'
        and c.created_at >= ${scope.fromMs} and c.created_at < ${scope.endMs}`.execute(db);
  return rows.rows.map((r) => ({ userId: r.authorId, at: Number(r.at), categoryId: r.categoryId }));
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
    .where((eb) => eb.not(solvedByShownReply(eb)))
    .where("topics.abandonedAt", "is", null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("replies").select("replies.id").where(answersTopic))))
    .where(visible)
    .orderBy("topics.createdAt")
    .orderBy("topics.id")
    .limit(limit)
    .execute();
}

/** A topic's community and when it, its replies and all its comments were posted (the days its figures touch). */
export async function topicPostTimes(
  db: Db,
  topicId: number,
): Promise<{ communityId: number; times: number[] } | null> {
  const topic = await db
    .selectFrom("topics")
    .select(["communityId", "createdAt"])
    .where("id", "=", topicId)
    .executeTakeFirst();
  if (!topic) return null;
  const posts = await db
    .selectFrom("replies")
    .select("replies.createdAt")
    .where("replies.topicId", "=", topicId)
    .unionAll(db.selectFrom("comments").select("comments.createdAt").where(commentInTopic(topicId)))
    .execute();
  return { communityId: topic.communityId, times: [topic.createdAt, ...posts.map((p) => p.createdAt)].map(Number) };
}
