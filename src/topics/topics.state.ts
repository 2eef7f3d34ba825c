import { type RawBuilder, sql } from "kysely";
import type { Tx } from "../core/transaction.ts";
import type { Db } from "../db/database.ts";
import type { CategoryScope, ModerationState, PostType, VoteTarget } from "../db/schema.ts";
import { AppError, conflict, forbidden, notFound, type Explanation } from "../core/errors.ts";
import { emit } from "../jobs/events.ts";
import { lockRows } from "../db/row-locks.ts";
import { topicExtensions } from "./topics.extensions.ts";
import { followActivity } from "./topics.activity.ts";
import { answerCountOf } from "./topics.queries.ts";

/**
 * The changes other domains make to topics (moderation, escalation, duplicates), as use cases of
 * the topics domain: each takes the caller's transaction, changes the rows and emits its event.
 * The caller checks who may do it and records its own side (audit log, notices to members).
 */

const TABLE = { topic: "topics", reply: "replies", comment: "comments" } as const;

/** The range of PostgreSQL's integer, which holds a post's score. */
const INT4_MIN = sql.lit(-(2 ** 31));
const INT4_MAX = sql.lit(2 ** 31 - 1);

/**
 * A post's score moved by `delta`, kept within PostgreSQL's integer: an imported score at the bound
 * stays there instead of overflowing (an error on PostgreSQL). Summed as bigint, the same on SQLite.
 */
export function scorePlus(delta: number): RawBuilder<number> {
  const sum = sql<number>`cast(score as bigint) + ${delta}`;
  return sql<number>`case when ${sum} > ${INT4_MAX} then ${INT4_MAX}
    when ${sum} < ${INT4_MIN} then ${INT4_MIN} else ${sum} end`;
}

/**
 * Sets a topic's reply count to its visible replies, and its answer count to those of them that
 * answer it (answersTopic: not the asker's own follow-up, nor a merged topic's question).
 */
export async function recountReplies(tx: Pick<Tx, "db">, topicId: number): Promise<void> {
  await tx.db
    .updateTable("topics")
    .set((eb) => ({
      replyCount: eb
        .selectFrom("replies")
        .select((r) => r.fn.countAll<number>().as("n"))
        .where("replies.topicId", "=", topicId)
        .where("replies.moderationState", "=", "visible"),
      answerCount: answerCountOf(eb),
    }))
    .where("id", "=", topicId)
    .execute();
}

/**
 * A deleted account's follows go, and each topic it followed counts its followers again without it (lists and
 * pages show the count). One statement each, whatever the number of topics.
 */
export async function removeFollowsOf(db: Db, userId: number): Promise<void> {
  await db
    .updateTable("topics")
    .set((eb) => ({
      followerCount: eb
        .selectFrom("follows")
        .select((f) => f.fn.countAll<number>().as("n"))
        .whereRef("follows.topicId", "=", "topics.id")
        .where("follows.userId", "<>", userId),
    }))
    .where((eb) => eb("id", "in", eb.selectFrom("follows").select("topicId").where("userId", "=", userId)))
    .execute();
  await db.deleteFrom("follows").where("userId", "=", userId).execute();
}

async function recountFollowers(tx: Tx, topicId: number, lastActivityAt?: number): Promise<number> {
  const updated = await tx.db
    .updateTable("topics")
    .set((eb) => ({
      followerCount: eb
        .selectFrom("follows")
        .select((f) => f.fn.countAll<number>().as("n"))
        .where("follows.topicId", "=", topicId),
      ...(lastActivityAt === undefined ? {} : { lastActivityAt }),
    }))
    .where("id", "=", topicId)
    .returning("followerCount")
    .executeTakeFirstOrThrow();
  return Number(updated.followerCount);
}

/** Locks the rows of topics whose counters a transaction recomputes (PostgreSQL; SQLite has one writer). */
export async function lockTopics(tx: Tx, ids: number[]): Promise<void> {
  await lockRows(tx, "topics", ids);
}

/** States a topic or post does not come back from: nothing more is written to it. */
const GONE: readonly ModerationState[] = ["merged", "deleted"];

/**
 * Refuses (409) a write to a topic merged or deleted (or missing) since the caller read it; with
 * `explanation`, a form says so in the reader's language.
 */
export function refuseGone(state: ModerationState | undefined, explanation?: Explanation): void {
  if (!state || GONE.includes(state))
    throw new AppError(
      "conflict",
      "This topic was merged or removed meanwhile: open it again.",
      undefined,
      explanation,
    );
}

/**
 * Locks a topic's row (PostgreSQL; SQLite has one writer) until the transaction ends and reads what
 * a write to it decides on, as it is now; refuses (409, `refuseGone`, with `gone` for a form) a
 * topic merged or deleted since the caller read it. `share` only keeps the row from changing: it
 * queues what writes the topic's row (a lock, a merge, a post's lockOpenTopic), not other sharers.
 */
export async function lockTopicAsItIs(
  tx: Tx,
  topicId: number,
  { share = false, gone }: { share?: boolean; gone?: Explanation } = {},
) {
  await lockRows(tx, "topics", [topicId], share ? { strength: "share" } : {});
  const row = await tx.db
    .selectFrom("topics")
    .leftJoin("categories", "categories.id", "topics.categoryId")
    .select([
      "topics.moderationState",
      "topics.locked",
      "topics.acceptedReplyId",
      "topics.acceptedBy",
      "topics.hiddenSolutionId",
      "topics.categoryId",
      "categories.scope as categoryScope",
    ])
    .where("topics.id", "=", topicId)
    .executeTakeFirst();
  refuseGone(row?.moderationState, gone);
  return row!;
}

/** How many merges are followed from a topic to where its content lives (a guard against a cycle). */
const MERGE_HOPS_MAX = 10;

type MergeLink = { moderationState: string; mergedIntoId: number | null };

/**
 * The topic a topic's address leads to: A merged into B, then B into C, leads to C. Each topic on the way
 * is read by `read` (undefined: one on the way is gone). Bounded, as a guard against a cycle.
 */
export async function followMerges<Row extends MergeLink>(
  row: Row,
  read: (id: number) => Promise<Row | undefined>,
): Promise<Row | undefined> {
  let at: Row | undefined = row;
  for (let hop = 0; at && hop < MERGE_HOPS_MAX; hop++) {
    if (at.moderationState !== "merged" || at.mergedIntoId === null) break;
    at = await read(at.mergedIntoId);
  }
  return at;
}

/**
 * Where a topic's content lives now: the topic, or the one it was merged into (followed). In a
 * transaction on PostgreSQL each topic read is share-locked until it ends, so a merge of it waits
 * for what the caller writes about it (and the merge's follow-ups, moving what names the topic,
 * then find it), or committed before and is followed.
 */
export async function topicWhereItLives(tx: Pick<Tx, "db" | "dialect">, topicId: number): Promise<number> {
  const read = async (id: number) => {
    await lockRows(tx, "topics", [id], { strength: "share" });
    return tx.db
      .selectFrom("topics")
      .select(["id", "moderationState", "mergedIntoId"])
      .where("id", "=", id)
      .executeTakeFirst();
  };
  const topic = await read(topicId);
  return (topic && (await followMerges(topic, read)))?.id ?? topicId;
}

/**
 * Locks a topic a reply or comment is about to join, and refuses the post (409) if the topic was
 * merged or deleted since it was read: a merge moves what the topic holds under this lock, so a
 * post made meanwhile would stay behind on a topic nobody reaches. A topic locked meanwhile
 * refuses it too (403), as if it had been locked before. Returns its category's scope and its
 * moderation state as they are now, for the caller to check again who may answer.
 */
export async function lockOpenTopic(
  tx: Tx,
  topicId: number,
): Promise<{ categoryScope: CategoryScope | null; moderationState: ModerationState }> {
  const row = await lockTopicAsItIs(tx, topicId);
  // Locked by a moderator since it was read: no more replies or comments, as for one locked before.
  if (row.locked === 1) throw forbidden("This topic is locked: it takes no new replies.");
  return { categoryScope: row.categoryScope, moderationState: row.moderationState };
}

export interface PostState {
  type: PostType;
  id: number;
  topicId: number;
  communityId: number;
  authorId: number;
  /** Its state before the change. */
  state: ModerationState;
}

/**
 * A post's moderation state now, its row locked (PostgreSQL; SQLite has one writer) until the
 * transaction ends: a moderation decision made on what was read earlier checks it still holds.
 */
export async function lockedPostState(tx: Tx, type: PostType, id: number): Promise<ModerationState | undefined> {
  let query = tx.db.selectFrom(TABLE[type]).select("moderationState").where("id", "=", id);
  if (tx.dialect === "postgres") query = query.forUpdate();
  return (await query.executeTakeFirst())?.moderationState;
}

/**
 * Hides, restores, deletes or approves a post. A reply's topic recounts its visible replies, and
 * its last activity follows the posts still shown (followActivity, topics.activity.ts); a
 * held post that becomes visible, approved or restored after it was hidden from the review queue,
 * is published as if just posted (followers and mentions hear of it);
 * a deleted reply stops being the solution, a hidden one too until it is restored. `actorId` is the
 * moderator deciding (null when the system decides, e.g. hiding after enough flags; the post's
 * author then stands as the actor).
 */
export async function setPostState(
  tx: Tx,
  post: PostState,
  state: ModerationState,
  actorId: number | null = null,
): Promise<void> {
  if (post.state === state) return;
  await tx.db.updateTable(TABLE[post.type]).set({ moderationState: state }).where("id", "=", post.id).execute();
  if (post.type === "reply") await recountReplies(tx, post.topicId);
  if (post.type !== "topic") await followActivity(tx, post, state);
  const { topicId, communityId, authorId } = post;
  await emit(tx, "post.moderated", { topicId, communityId, type: post.type, postId: post.id, authorId, state });
  if (post.type === "reply") await followSolution(tx, post, state, actorId ?? authorId);
  if (state !== "visible" || !(await publishedNow(tx, post))) return;
  // A held reply or comment approved is new activity on its topic, as if just posted.
  if (post.type !== "topic")
    await tx.db.updateTable("topics").set({ lastActivityAt: tx.clock.now() }).where("id", "=", topicId).execute();
  if (post.type === "topic") await emit(tx, "topic.created", { topicId, communityId, authorId });
  else if (post.type === "reply") await emit(tx, "reply.posted", { topicId, communityId, replyId: post.id, authorId });
  else {
    const { replyId } = await tx.db
      .selectFrom("comments")
      .select("replyId")
      .where("id", "=", post.id)
      .executeTakeFirstOrThrow();
    await emit(tx, "comment.posted", { topicId, communityId, replyId, commentId: post.id, authorId });
  }
}

/**
 * Marks the post published if it never was (held for review, perhaps hidden from the queue since):
 * true then, once, for the caller to announce it as just posted.
 */
async function publishedNow(tx: Tx, post: PostState): Promise<boolean> {
  const row = await tx.db
    .updateTable(TABLE[post.type])
    .set({ published: 1 })
    .where("id", "=", post.id)
    .where("published", "=", 0)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A reply that leaves the visible state is no longer its topic's solution: nobody may read it, so
 * the topic is open again, as after the asker withdrew it. Deleted, it is gone for good (the
 * acceptance's kudos go back with the deleted post's, reversePost); hidden, the topic remembers it
 * (hiddenSolutionId) and the acceptance's kudos go back now, as for any withdrawn solution (the
 * kudos of votes stay, as for any hidden post). Restored, it is the solution again and earns them
 * again, unless the asker accepted another reply meanwhile. Every read of "solved" (status, lists,
 * search, SEO, timers, routing) reads acceptedReplyId alone, so each stays right.
 */
async function followSolution(tx: Tx, post: PostState, state: ModerationState, actorId: number): Promise<void> {
  if (state === "deleted") await withdrawSolution(tx, post, actorId, false);
  else if (post.state === "visible") await withdrawSolution(tx, post, actorId, true);
  else if (state === "visible") await reinstateSolution(tx, post, actorId);
}

async function withdrawSolution(tx: Tx, post: PostState, actorId: number, remember: boolean): Promise<void> {
  const { topicId, communityId } = post;
  const withdrawn = await tx.db
    .updateTable("topics")
    .set({ acceptedReplyId: null, hiddenSolutionId: remember ? post.id : null })
    .where("id", "=", topicId)
    .where("acceptedReplyId", "=", post.id)
    .returning("authorId")
    .executeTakeFirst();
  if (!withdrawn) {
    // Deleted while hidden: nothing is left to bring back.
    if (!remember)
      await tx.db
        .updateTable("topics")
        .set({ hiddenSolutionId: null })
        .where("id", "=", topicId)
        .where("hiddenSolutionId", "=", post.id)
        .execute();
    return;
  }
  if (remember)
    await topicExtensions().votes.recordAccept(tx, {
      communityId,
      topic: { id: topicId, authorId: withdrawn.authorId },
      actorId,
      previous: { id: post.id },
      next: null,
    });
  await emit(tx, "solution.changed", { topicId, communityId, replyId: null, actorId });
}

async function reinstateSolution(tx: Tx, post: PostState, actorId: number): Promise<void> {
  const { topicId, communityId } = post;
  const forgotten = await tx.db
    .updateTable("topics")
    .set({ hiddenSolutionId: null })
    .where("id", "=", topicId)
    .where("hiddenSolutionId", "=", post.id)
    .returning(["authorId", "acceptedReplyId"])
    .executeTakeFirst();
  if (!forgotten) return;
  const topic = { id: topicId, authorId: forgotten.authorId };
  if (forgotten.acceptedReplyId !== null) {
    // The asker accepted another reply meanwhile: it stays. Whatever this one still holds goes
    // (nothing, unless it was hidden before migration 035, which left the kudos in place).
    await topicExtensions().votes.recordAccept(tx, { communityId, topic, actorId, previous: post, next: null });
    return;
  }
  await tx.db.updateTable("topics").set({ acceptedReplyId: post.id }).where("id", "=", topicId).execute();
  const { official } = await tx.db
    .selectFrom("replies")
    .select("official")
    .where("id", "=", post.id)
    .executeTakeFirstOrThrow();
  // Its kudos come back as hiding took them (once: recordAccept skips kudos still held).
  await topicExtensions().votes.recordAccept(tx, {
    communityId,
    topic,
    actorId,
    previous: null,
    next: { id: post.id, authorId: post.authorId, official: official === 1 },
    reinstated: true,
  });
  await emit(tx, "solution.changed", { topicId, communityId, replyId: post.id, actorId });
}

export async function setTopicLocked(tx: Tx, topic: { id: number; communityId: number }, locked: boolean) {
  await tx.db
    .updateTable("topics")
    .set({ locked: locked ? 1 : 0 })
    .where("id", "=", topic.id)
    .execute();
  await emit(tx, "topic.locked", { topicId: topic.id, communityId: topic.communityId, locked });
}

export async function setTopicCategory(
  tx: Tx,
  topic: { id: number; communityId: number; categoryId: number | null },
  categoryId: number | null,
): Promise<void> {
  await tx.db.updateTable("topics").set({ categoryId }).where("id", "=", topic.id).execute();
  await emit(tx, "topic.moved", {
    topicId: topic.id,
    communityId: topic.communityId,
    from: topic.categoryId,
    to: categoryId,
  });
}

/**
 * Merges a topic into another: its question becomes a reply there (with the question's comments),
 * its replies (with their comments and votes) and its views move over, its voters and followers
 * count for the other topic too (each person once: a vote already cast there stays as it is, the
 * other topic's author gets none of their own), and the merged topic leads to the other one.
 */
export async function mergeTopicInto(
  tx: Tx,
  source: { id: number; communityId: number; authorId: number; body: string; bodyHtml: string; createdAt: number },
  target: { id: number; authorId: number; lastActivityAt: number },
): Promise<void> {
  await lockTopics(tx, [source.id, target.id]);
  // Read again under the lock: a merge of either topic that committed meanwhile (A into B while
  // B goes into A, or the same topic into two others) would otherwise lose or copy content.
  const current = await tx.db
    .selectFrom("topics")
    .select(["id", "communityId", "moderationState", "authorId", "body", "bodyHtml", "createdAt"])
    .where("id", "in", [source.id, target.id])
    .execute();
  const sourceNow = current.find((t) => t.id === source.id);
  const targetNow = current.find((t) => t.id === target.id);
  if (
    !sourceNow ||
    GONE.includes(sourceNow.moderationState) ||
    targetNow?.moderationState !== "visible" ||
    targetNow.communityId !== sourceNow.communityId
  )
    throw conflict("One of these topics was merged or moderated meanwhile: reload and try again.");
  const question = await tx.db
    .insertInto("replies")
    .values({
      topicId: target.id,
      // The question as it is under the lock: an edit saved since the caller read it goes along.
      authorId: sourceNow.authorId,
      body: sourceNow.body,
      bodyHtml: sourceNow.bodyHtml,
      official: 0,
      score: 0,
      createdAt: sourceNow.createdAt,
      editedAt: null,
      mergedFromTopicId: source.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // Comments on the merged question go with it: they are now comments on the reply it became.
  await tx.db
    .updateTable("comments")
    .set({ replyId: question.id, topicId: null })
    .where("topicId", "=", source.id)
    .execute();
  await tx.db.updateTable("replies").set({ topicId: target.id }).where("topicId", "=", source.id).execute();
  await copyFollowers(tx, source.id, target.id);
  await copyTopicVotes(tx, source.id, target);
  await moveViews(tx, source.id, target.id);
  await tx.db
    .updateTable("topics")
    .set({
      moderationState: "merged",
      mergedIntoId: target.id,
      acceptedReplyId: null,
      hiddenSolutionId: null,
      replyCount: 0,
      answerCount: 0,
    })
    .where("id", "=", source.id)
    .execute();
  await recountReplies(tx, target.id);
  // The merge is activity no post keeps (the question copied keeps its own time): remembered, so
  // hiding the target's latest post does not take its last activity back past it (topics.activity.ts).
  const now = tx.clock.now();
  await tx.db.updateTable("topics").set({ lastEventAt: now }).where("id", "=", target.id).execute();
  await recountFollowers(tx, target.id, Math.max(now, target.lastActivityAt));
  await emit(tx, "topic.merged", { topicId: source.id, communityId: source.communityId, intoId: target.id });
}

/**
 * The source's voters vote for the target too (one vote each, the target's author excepted). Its score
 * grows by the votes added, not recounted: an imported topic's score holds votes no row names.
 */
async function copyTopicVotes(tx: Tx, fromId: number, into: { id: number; authorId: number }): Promise<void> {
  const total = async () => {
    const row = await tx.db
      .selectFrom("votes")
      .select((v) => v.fn.sum<number>("value").as("total"))
      .where("targetType", "=", "topic")
      .where("targetId", "=", into.id)
      .executeTakeFirst();
    return Number(row?.total ?? 0);
  };
  const before = await total();
  await sql`insert into votes (user_id, target_type, target_id, value, created_at)
    select v.user_id, 'topic', ${into.id}, v.value, v.created_at from votes v
    where v.target_type = 'topic' and v.target_id = ${fromId} and v.user_id <> ${into.authorId}
    on conflict do nothing`.execute(tx.db);
  const added = (await total()) - before;
  if (added !== 0)
    await tx.db
      .updateTable("topics")
      .set({ score: scorePlus(added) })
      .where("id", "=", into.id)
      .execute();
}

/**
 * The source's views count for the target from now on (added to its own): the merged topic only leads
 * there. Views counted for it and not yet written (topics.viewcount.ts) still land on it.
 */
async function moveViews(tx: Tx, fromId: number, intoId: number): Promise<void> {
  await sql`insert into topic_views (topic_id, view_count)
    select cast(${intoId} as integer), v.view_count from topic_views v where v.topic_id = ${fromId}
    on conflict (topic_id) do update set view_count = topic_views.view_count + excluded.view_count`.execute(tx.db);
  await tx.db.deleteFrom("topicViews").where("topicId", "=", fromId).execute();
}

async function copyFollowers(tx: Tx, fromId: number, intoId: number, at?: number): Promise<void> {
  await sql`insert into follows (topic_id, user_id, created_at)
    select ${intoId}, f.user_id, ${
      at === undefined ? sql`f.created_at` : sql`${at}`
    } from follows f where f.topic_id = ${fromId}
    on conflict do nothing`.execute(tx.db);
}

/** A duplicate's followers follow the original too (each once); returns the original's follower count. */
export async function mergeFollowers(tx: Tx, fromId: number, intoId: number): Promise<number> {
  await lockTopics(tx, [intoId]);
  await copyFollowers(tx, fromId, intoId, tx.clock.now());
  return recountFollowers(tx, intoId);
}

/** Marks a topic escalated unless it is solved or already escalated; returns whether it did. */
export async function markEscalated(tx: Tx, topic: { id: number; communityId: number }): Promise<boolean> {
  const updated = await tx.db
    .updateTable("topics")
    .set({ escalatedAt: tx.clock.now() })
    .where("id", "=", topic.id)
    .where("escalatedAt", "is", null)
    .where("acceptedReplyId", "is", null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return false;
  await emit(tx, "topic.escalated", { topicId: topic.id, communityId: topic.communityId });
  return true;
}

/** Takes a topic out of the staff's hands (de-escalated or resolved). */
export async function clearEscalated(tx: Pick<Tx, "db">, topicId: number): Promise<void> {
  await tx.db.updateTable("topics").set({ escalatedAt: null }).where("id", "=", topicId).execute();
}

/** No word from the asker after an answer: the topic is abandoned, unless solved or escalated meanwhile. */
export async function markAbandoned(tx: Tx, topic: { id: number; communityId: number }): Promise<void> {
  const updated = await tx.db
    .updateTable("topics")
    .set({ abandonedAt: tx.clock.now() })
    .where("id", "=", topic.id)
    .where("abandonedAt", "is", null)
    .where("acceptedReplyId", "is", null)
    // With staff, the topic is not the crowd's to give up on: whoever calls this, it stays escalated only.
    .where("escalatedAt", "is", null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0)
    await emit(tx, "topic.abandoned", { topicId: topic.id, communityId: topic.communityId });
}

/** Activity that revives an abandoned topic (a new reply, the asker speaking up). */
export async function clearAbandoned(tx: Pick<Tx, "db">, topicId: number): Promise<void> {
  await tx.db
    .updateTable("topics")
    .set({ abandonedAt: null })
    .where("id", "=", topicId)
    .where("abandonedAt", "is not", null)
    .execute();
}

/** What a redacted version shows in place of its title and text, in the API and on the history page. */
export const REDACTED = "[redacted]";

/**
 * Erases the title, text and tags of one past version of a post's history (1 is the original),
 * keeping who redacted it and when. The current version is not redacted here: editing the post
 * replaces it. The caller checks the privilege and writes the audit record.
 */
export async function redactRevision(tx: Tx, target: { type: VoteTarget; id: number }, version: number, by: number) {
  const revisions = await tx.db
    .selectFrom("revisions")
    .select(["id", "redactedAt"])
    .where("targetType", "=", target.type)
    .where("targetId", "=", target.id)
    .orderBy("id")
    .execute();
  // An unedited post has one version, its current text, and no revision rows.
  const versions = Math.max(revisions.length, 1);
  if (version > versions) throw notFound("Version");
  if (version === versions) throw conflict("This is the current version: edit the post to remove the text.");
  const revision = revisions[version - 1];
  if (revision.redactedAt !== null) throw conflict("This version is already redacted.");
  await tx.db
    .updateTable("revisions")
    .set({ title: null, body: "", tags: null, redactedAt: tx.clock.now(), redactedBy: by })
    .where("id", "=", revision.id)
    .execute();
}
