import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { Clock } from "../core/clock.ts";
import { defineJob, enqueue } from "../jobs/jobs.ts";
import {
  answerKeys,
  buildProfile,
  EXPERTISE,
  topicKeys,
  type AnswerFact,
  type EarlierQuestion,
  type ExpertiseEntry,
} from "./expertise.ts";
import { answersTopic } from "../topics/index.ts";

const INSERT_CHUNK = 500;

/**
 * Rebuilds one member's expertise in one community from their whole answer history: the keys of
 * each answered topic (tags, category, title and body words) and the words of the answer itself,
 * weighted by the answer's quality and age (expertise.ts). Answers to
 * their own questions, answers held or hidden by moderators and answers in questions they hid or
 * deleted do not count. Idempotent, so the job may run twice;
 * only the members an
 * event touched are rebuilt, which keeps the model up to date incrementally.
 */
async function rebuildExpertise(deps: Pick<Deps, "db" | "clock">, communityId: number, userId: number): Promise<void> {
  const rows = await deps.db
    .selectFrom("replies")
    .innerJoin("topics", "topics.id", "replies.topicId")
    .innerJoin("communities", "communities.id", "topics.communityId")
    // A deleted account keeps its answers, credited to "Deleted member", but no expertise: a vote
    // on one of them after the deletion must not write the erased profile back.
    .innerJoin("users", (join) => join.onRef("users.id", "=", "replies.authorId").on("users.deletedAt", "is", null))
    .select([
      "replies.id",
      "replies.createdAt",
      "replies.score",
      "replies.body as replyBody",
      "topics.acceptedReplyId",
      "topics.tags",
      "topics.categoryId",
      "topics.title",
      "topics.body",
      "communities.locale",
    ])
    .where("topics.communityId", "=", communityId)
    // A question moderators hid or deleted shows nobody's expertise.
    .where("topics.moderationState", "=", "visible")
    .where("replies.authorId", "=", userId)
    .where(answersTopic)
    .execute();
  const answers: AnswerFact[] = rows.map((r) => ({
    createdAt: Number(r.createdAt),
    score: Number(r.score),
    accepted: r.acceptedReplyId === r.id,
    // What the topic is about, and what the member wrote: expertise shows in the text of answers.
    keys: [
      ...new Set([
        ...topicKeys(
          { tags: JSON.parse(r.tags) as string[], categoryId: r.categoryId, title: r.title, body: r.body },
          r.locale,
        ),
        ...answerKeys(r.replyBody, r.locale),
      ]),
    ],
  }));
  const asOf = deps.clock.now();
  const profile = [...buildProfile(answers, asOf)].map(([key, score]) => ({ communityId, userId, key, score, asOf }));
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("memberExpertise")
      .where("communityId", "=", communityId)
      .where("userId", "=", userId)
      .execute();
    for (let i = 0; i < profile.length; i += INSERT_CHUNK)
      await trx
        .insertInto("memberExpertise")
        .values(profile.slice(i, i + INSERT_CHUNK))
        .execute();
  });
}

/** The stored expertise of every member for some keys of one community. */
export async function expertiseFor(db: Db, communityId: number, keys: string[]): Promise<ExpertiseEntry[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom("memberExpertise")
    .select(["userId", "key", "score", "asOf"])
    .where("communityId", "=", communityId)
    .where("key", "in", keys)
    .execute();
  return rows.map((r) => ({ userId: r.userId, key: r.key, score: Number(r.score), asOf: Number(r.asOf) }));
}

/**
 * The community's latest answered questions before `before` (EXPERTISE.neighbourPool of them, the
 * question being routed left out) with their keys and who answered them: the answers the
 * expertise counts (visible, not by the asker), the accepted one marked.
 */
export async function earlierQuestions(
  db: Db,
  topic: { id: number; communityId: number; locale: string },
  before: number,
): Promise<EarlierQuestion[]> {
  const topics = await db
    .selectFrom("topics")
    .select(["id", "title", "body", "tags", "categoryId", "acceptedReplyId", "createdAt", "authorId"])
    .where("communityId", "=", topic.communityId)
    .where("id", "!=", topic.id)
    .where("moderationState", "=", "visible")
    .where("createdAt", "<", before)
    .where((eb) => eb.exists(eb.selectFrom("replies").select("replies.id").where(answersTopic)))
    .orderBy("createdAt", "desc")
    .orderBy("id", "desc")
    .limit(EXPERTISE.neighbourPool)
    .execute();
  if (topics.length === 0) return [];
  const replies = await db
    .selectFrom("replies")
    .select(["id", "topicId", "authorId"])
    .where(
      "topicId",
      "in",
      topics.map((t) => t.id),
    )
    .where("moderationState", "=", "visible")
    // A question merged in (its text kept as a reply) is no answer.
    .where("mergedFromTopicId", "is", null)
    .execute();
  const byTopic = new Map<number, typeof replies>();
  for (const r of replies) byTopic.set(r.topicId, [...(byTopic.get(r.topicId) ?? []), r]);
  return topics.reverse().map((t) => ({
    keys: topicKeys(
      { tags: JSON.parse(t.tags) as string[], categoryId: t.categoryId, title: t.title, body: t.body },
      topic.locale,
    ),
    createdAt: Number(t.createdAt),
    answerers: (byTopic.get(t.id) ?? [])
      .filter((r) => r.authorId !== t.authorId)
      .map((r) => ({ userId: r.authorId, accepted: r.id === t.acceptedReplyId })),
  }));
}

/**
 * Builds the expertise of everyone who answered in a community, all at once (after an import
 * wrote the answers directly, without the events that keep the model up to date).
 */
export async function rebuildCommunityExpertise(
  deps: Pick<Deps, "db" | "clock">,
  communityId: number,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const answerers = await deps.db
    .selectFrom("replies")
    .innerJoin("topics", "topics.id", "replies.topicId")
    .select("replies.authorId")
    .distinct()
    .where("topics.communityId", "=", communityId)
    .execute();
  for (const [i, { authorId }] of answerers.entries()) {
    await rebuildExpertise(deps, communityId, authorId);
    onProgress?.(i + 1, answerers.length);
  }
}

interface ExpertisePayload {
  communityId: number;
  /** These members... */
  userIds?: number[];
  /** ...or everyone who answered this topic (its solution, tags or title changed). */
  topicId?: number;
}

export const expertiseJob = defineJob<ExpertisePayload>({
  name: "routing.expertise",
  run: async (deps, payload) => {
    const userIds = new Set(payload.userIds ?? []);
    if (payload.topicId !== undefined) {
      const rows = await deps.db
        .selectFrom("replies")
        .select("authorId")
        .distinct()
        .where("topicId", "=", payload.topicId)
        .execute();
      for (const r of rows) userIds.add(r.authorId);
    }
    for (const userId of userIds) await rebuildExpertise(deps, payload.communityId, userId);
  },
});

/** Queues a rebuild of the expertise an event changed; pass the transaction of the change when there is one. */
export async function refreshExpertise(ctx: { db: Db; clock: Clock }, payload: ExpertisePayload): Promise<void> {
  await enqueue(ctx, expertiseJob, payload);
}
