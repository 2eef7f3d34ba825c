import type { Actor, Deps } from "../core/deps.ts";
import type { VoteTarget } from "../db/schema.ts";
import { transaction, type Tx } from "../core/transaction.ts";
import { emit } from "../jobs/events.ts";
import { ensureMember } from "../communities/index.ts";
import { can } from "../access/privileges.ts";
import { AppError, conflict, fieldRefused, forbidden, notFound, validationFailed } from "../core/errors.ts";
import { lockedPostState, lockTopicAsItIs, refuseGone, scorePlus } from "./topics.state.ts";
import * as q from "./topics.queries.ts";
import { topicWithAccess } from "./topics.service.ts";
import { canSeePost, SOLVABLE_KINDS } from "./topics.policy.ts";

import { topicStatus } from "./topics.status.ts";
import { topicExtensions } from "./topics.extensions.ts";
import { assertNotSuspended, type CommunityAccess } from "../access/access.ts";
import { canSeeTopic, topicViewer, topicVisibilityFacts } from "./topics.visibility.ts";
import { lockRows } from "../db/row-locks.ts";

/** Finds what is voted on and who wrote it. */
async function voteTarget(deps: Deps, type: VoteTarget, id: number, actor: Actor | null) {
  if (type === "topic") {
    const { row, access } = await topicWithAccess(deps, id, actor);
    return { access, authorId: row.authorId, topicId: row.id };
  }
  const reply = await q.findReply(deps.db, id);
  if (!reply) throw notFound("Reply");
  const { access } = await topicWithAccess(deps, reply.topicId, actor);
  if (!canSeePost(access, reply)) throw notFound("Reply");
  return { access, authorId: reply.authorId, topicId: reply.topicId };
}

/**
 * Refuses a vote on a reply whose topic was hidden from the voter, deleted or moved out of their
 * sight (404) or merged (409) since it was read: the topic's row is share-locked (PostgreSQL; SQLite
 * has one writer) before the reply's, the order moderators lock them in.
 */
async function refuseUnseenTopic(tx: Tx, access: CommunityAccess, topicId: number): Promise<void> {
  await lockRows(tx, "topics", [topicId], { strength: "share" });
  const topic = await topicVisibilityFacts(tx.db).where("topics.id", "=", topicId).executeTakeFirst();
  if (topic?.moderationState === "merged") refuseGone(topic.moderationState);
  if (!topic || !canSeeTopic(topicViewer(access), topic)) throw notFound("Topic");
}

/** The voter's vote on the post: 1, -1, or 0 for none. */
async function currentVote(tx: Tx, userId: number, type: VoteTarget, id: number): Promise<number> {
  const row = await tx.db
    .selectFrom("votes")
    .select("value")
    .where("userId", "=", userId)
    .where("targetType", "=", type)
    .where("targetId", "=", id)
    .executeTakeFirst();
  return row?.value ?? 0;
}

async function currentScore(tx: Tx, table: "topics" | "replies", id: number): Promise<number> {
  const row = await tx.db.selectFrom(table).select("score").where("id", "=", id).executeTakeFirstOrThrow();
  return Number(row.score);
}

/**
 * Sets the actor's vote (1, -1, or 0 to withdraw). One vote per user and post, changeable;
 * the score moves by the vote's change in the same transaction, under the post's and the voter's locks,
 * so it cannot drift. The vote
 * rules (installed by reputation) may refuse it (linked accounts, voting rings) and record what it
 * earns, inside the same transaction.
 */
export async function vote(
  deps: Deps,
  type: VoteTarget,
  id: number,
  actor: Actor,
  value: 1 | -1 | 0,
): Promise<{ score: number; value: number }> {
  const { access, authorId, topicId } = await voteTarget(deps, type, id, actor);
  if (authorId === actor.id) throw forbidden("You cannot vote on your own post.");
  assertNotSuspended(access);
  if (!can(access, type === "topic" ? "topic.vote" : "reply.vote", authorId)) throw forbidden("You cannot vote here.");
  const communityId = access.community.id;
  const facts = { communityId, topicId, type, targetId: id, voterId: actor.id, authorId, value };
  const rules = topicExtensions().votes;
  return transaction(deps, async (tx) => {
    const refusal = await rules.check(tx, facts);
    if (refusal) throw new AppError("forbidden", refusal.message, undefined, refusal.explanation);
    // A reply's topic as it is now, share-locked (a hide, delete or merge of it waits for this vote):
    // one the voter may no longer see takes no vote on its replies (404, as a moment later); merged,
    // its replies moved to another topic (409, reload). Locked topics take votes, as before the race.
    if (type === "reply") await refuseUnseenTopic(tx, access, topicId);
    // Concurrent votes recount one after another, each seeing the others' committed rows; the post's
    // state under that lock: one deleted (its kudos reversed) or hidden meanwhile takes no vote.
    const state = await lockedPostState(tx, type, id);
    if (!state || !canSeePost(access, { authorId, moderationState: state }))
      throw notFound(type === "topic" ? "Topic" : "Reply");
    const table = type === "topic" ? "topics" : "replies";
    // The same vote again changes nothing: no new date, no kudos recorded anew (past the daily cap), no
    // event. Read under the voter's lock (the vote rules' check takes it), so a repeat sent twice at once too.
    const previous = await currentVote(tx, actor.id, type, id);
    if (previous === value) return { score: await currentScore(tx, table, id), value };
    if (value === 0) {
      await tx.db
        .deleteFrom("votes")
        .where("userId", "=", actor.id)
        .where("targetType", "=", type)
        .where("targetId", "=", id)
        .execute();
    } else {
      await tx.db
        .insertInto("votes")
        .values({ userId: actor.id, targetType: type, targetId: id, value, createdAt: deps.clock.now() })
        // A changed vote dates from its change (the voting-ring window counts upvotes by this date:
        // a downvote of last month turned into an upvote today is today's upvote).
        .onConflict((oc) =>
          oc
            .columns(["userId", "targetType", "targetId"])
            .doUpdateSet({ value, createdAt: deps.clock.now() })
            .where("votes.value", "!=", value),
        )
        .execute();
    }
    // The score moves by the change of this vote, not recounted from the votes: an imported post's score
    // holds votes no row names (Stack Exchange's anonymous ones), which a recount would drop.
    const updated = await tx.db
      .updateTable(table)
      .set({ score: scorePlus(value - previous) })
      .where("id", "=", id)
      .returning("score")
      .executeTakeFirstOrThrow();
    await ensureMember(tx, communityId, actor.id);
    await rules.record(tx, facts);
    const score = Number(updated.score);
    await emit(tx, "vote.cast", {
      topicId,
      communityId,
      target: type,
      targetId: id,
      authorId,
      voterId: actor.id,
      value,
      score,
    });
    return { score, value };
  });
}

export async function accept(deps: Deps, topicId: number, actor: Actor, replyId: number | null) {
  const { row, access } = await topicWithAccess(deps, topicId, actor);
  if (!SOLVABLE_KINDS.includes(row.kind))
    throw validationFailed({ replyId: "Only questions and problems have a solution to accept." });
  assertNotSuspended(access);
  if (!can(access, "topic.accept", row.authorId)) throw forbidden("Only the asker or staff can accept a solution.");
  const reply = replyId === null ? null : await q.findReply(deps.db, replyId);
  if (replyId !== null && (!reply || reply.topicId !== topicId || reply.moderationState === "deleted"))
    throw validationFailed({ replyId: "This reply does not belong to this topic." });
  if (reply && reply.moderationState !== "visible")
    throw validationFailed({ replyId: "A hidden or held reply cannot be accepted." });
  // A merged topic's question sits among the replies as another asking, not an answer.
  if (reply?.mergedFromTopicId != null)
    throw fieldRefused(
      "replyId",
      "A merged question is not an answer: it cannot be accepted.",
      "topic.mergedNotAnswer",
    );
  await transaction(deps, async (tx) => {
    // The kudos of the previously accepted answer are reversed: read it under the row lock. Read
    // again under the locks (the topic's, then the reply's, as moderators take them): a merge, or a
    // reply deleted or moved meanwhile, must not be accepted (nor earn kudos) on what was read.
    const before = await lockTopicAsItIs(tx, topicId);
    if (reply) {
      await lockRows(tx, "replies", [reply.id]);
      const now = await tx.db
        .selectFrom("replies")
        .select(["topicId", "moderationState"])
        .where("id", "=", reply.id)
        .executeTakeFirst();
      if (now?.topicId !== topicId || now.moderationState !== "visible")
        throw conflict("This reply was moved or moderated meanwhile: reload the topic.");
    }
    // The choice as it stands (the reply this actor accepted, again, or none while none is accepted
    // nor remembered hidden): nothing changes, so the topic does not move up the list nor is announced.
    // The asker accepting the reply its staff author accepted is a change: now someone else's choice.
    const unchanged =
      replyId === null
        ? before.acceptedReplyId === null && before.hiddenSolutionId === null
        : before.acceptedReplyId === replyId && before.acceptedBy === actor.id;
    if (unchanged) return;
    // The asker's choice (another reply, or none) replaces a solution moderation hid: restoring that
    // reply later does not overrule it.
    await tx.db
      .updateTable("topics")
      .set({
        acceptedReplyId: replyId,
        acceptedBy: replyId === null ? null : actor.id,
        hiddenSolutionId: null,
        lastActivityAt: deps.clock.now(),
        // No post keeps this time: hiding the latest post does not roll back past it (topics.activity.ts).
        lastEventAt: deps.clock.now(),
      })
      .where("id", "=", topicId)
      .execute();
    await topicExtensions().votes.recordAccept(tx, {
      communityId: row.communityId,
      topic: row,
      actorId: actor.id,
      previous: before.acceptedReplyId === null ? null : { id: before.acceptedReplyId },
      next: reply ? { id: reply.id, authorId: reply.authorId, official: reply.official === 1 } : null,
    });
    await emit(tx, "solution.changed", { topicId, communityId: row.communityId, replyId, actorId: actor.id });
  });
  return { acceptedReplyId: replyId, status: topicStatus({ ...row, acceptedReplyId: replyId, abandonedAt: null }) };
}

/** Follows ("me too") or unfollows a topic; idempotent, the count is recomputed. */
export async function follow(
  deps: Deps,
  topicId: number,
  actor: Actor,
  on: boolean,
): Promise<{ followers: number; following: boolean }> {
  const { access } = await topicWithAccess(deps, topicId, actor);
  // Stopping is always allowed: a member banned or removed since must not be kept following.
  if (on && !can(access, "topic.follow")) throw forbidden("Join this community to follow topics.");
  return transaction(deps, async (tx) => {
    if (on) {
      // Merged meanwhile: its followers were copied to the other topic, a follow added now would be lost.
      await lockTopicAsItIs(tx, topicId);
      await tx.db
        .insertInto("follows")
        .values({ topicId, userId: actor.id, createdAt: deps.clock.now() })
        .onConflict((oc) => oc.columns(["topicId", "userId"]).doNothing())
        .execute();
    } else {
      await lockRows(tx, "topics", [topicId]);
      await tx.db.deleteFrom("follows").where("topicId", "=", topicId).where("userId", "=", actor.id).execute();
    }
    const updated = await tx.db
      .updateTable("topics")
      .set((eb) => ({
        followerCount: eb
          .selectFrom("follows")
          .select((f) => f.fn.countAll<number>().as("n"))
          .where("topicId", "=", topicId),
      }))
      .where("id", "=", topicId)
      .returning("followerCount")
      .executeTakeFirstOrThrow();
    await emit(tx, "topic.followed", { topicId, communityId: access.community.id, userId: actor.id, following: on });
    return { followers: Number(updated.followerCount), following: on };
  });
}
