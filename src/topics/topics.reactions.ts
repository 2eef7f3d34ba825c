import type { Actor, Deps } from "../core/deps.ts";
import type { VoteTarget } from "../db/schema.ts";
import type { Db, Dialect } from "../db/database.ts";
import { ensureMember } from "../communities/communities.service.ts";
import { can } from "../access/privileges.ts";
import { forbidden, notFound, validationFailed } from "../core/errors.ts";
import * as q from "./topics.queries.ts";
import { topicWithAccess } from "./topics.service.ts";
import { canSeePost, SOLVABLE_KINDS } from "./topics.policy.ts";
import { assertNotSuspended } from "../moderation/moderation.policy.ts";
import { checkVote } from "../reputation/reputation.integrity.ts";
import { recordAccept, recordVote } from "../reputation/reputation.kudos.ts";
import { queueBadgeCheck } from "../reputation/reputation.badges.ts";
import * as announce from "./topics.announce.ts";
import { topicStatus } from "./topics.status.ts";
import * as lifecycle from "../escalation/lifecycle.ts";

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
 * Locks the row whose counter a transaction recomputes, so concurrent transactions recount one after
 * another and each sees the others' committed rows. PostgreSQL only: SQLite runs one writer at a time.
 */
async function lockForRecount(trx: Db, dialect: Dialect, table: "topics" | "replies", id: number): Promise<void> {
  if (dialect === "postgres") await trx.selectFrom(table).select("id").where("id", "=", id).forUpdate().execute();
}

/**
 * Sets the actor's vote (1, -1, or 0 to withdraw). One vote per user and post, changeable;
 * the score is recomputed from the votes in the same transaction, so it cannot drift, and the
 * author's kudos move in the ledger there too. Votes between linked accounts and from voting
 * rings are refused.
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
  const refusal = await checkVote(deps.db, {
    communityId,
    type,
    targetId: id,
    voterId: actor.id,
    authorId,
    value,
    now: deps.clock.now(),
  });
  if (refusal) throw forbidden(refusal);
  const result = await deps.db.transaction().execute(async (trx) => {
    await lockForRecount(trx, deps.dialect, type === "topic" ? "topics" : "replies", id);
    if (value === 0) {
      await trx
        .deleteFrom("votes")
        .where("userId", "=", actor.id)
        .where("targetType", "=", type)
        .where("targetId", "=", id)
        .execute();
    } else {
      await trx
        .insertInto("votes")
        .values({ userId: actor.id, targetType: type, targetId: id, value, createdAt: deps.clock.now() })
        .onConflict((oc) => oc.columns(["userId", "targetType", "targetId"]).doUpdateSet({ value }))
        .execute();
    }
    const table = type === "topic" ? "topics" : "replies";
    const updated = await trx
      .updateTable(table)
      .set((eb) => ({
        score: eb.fn.coalesce(
          eb
            .selectFrom("votes")
            .select((v) => v.fn.sum<number>("value").as("total"))
            .where("targetType", "=", type)
            .where("targetId", "=", id),
          eb.lit(0),
        ),
      }))
      .where("id", "=", id)
      .returning("score")
      .executeTakeFirstOrThrow();
    await ensureMember({ db: trx, clock: deps.clock }, access.community.id, actor.id);
    await recordVote(
      { db: trx, dialect: deps.dialect, clock: deps.clock },
      { communityId, topicId, type, targetId: id, voterId: actor.id, authorId, value },
    );
    await queueBadgeCheck({ db: trx, clock: deps.clock }, communityId, [authorId]);
    if (type === "reply") await lifecycle.replyScored({ db: trx, clock: deps.clock }, access.community.id, authorId);
    return { score: Number(updated.score), value };
  });
  await announce.scoreChanged(deps, topicId, { type, id, score: result.score });
  return result;
}

export async function accept(deps: Deps, topicId: number, actor: Actor, replyId: number | null) {
  const { row, access } = await topicWithAccess(deps, topicId, actor);
  if (!SOLVABLE_KINDS.includes(row.kind))
    throw validationFailed({ replyId: `A ${row.kind} has no solution to accept.` });
  assertNotSuspended(access);
  if (!can(access, "topic.accept", row.authorId)) throw forbidden("Only the asker or staff can accept a solution.");
  const reply = replyId === null ? null : await q.findReply(deps.db, replyId);
  if (replyId !== null && (!reply || reply.topicId !== topicId || reply.moderationState !== "visible"))
    throw validationFailed({ replyId: "This reply does not belong to this topic." });
  await deps.db.transaction().execute(async (trx) => {
    // The kudos of the previously accepted answer are reversed: read it under the row lock.
    await lockForRecount(trx, deps.dialect, "topics", topicId);
    const before = await trx
      .selectFrom("topics")
      .select("acceptedReplyId")
      .where("id", "=", topicId)
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("topics")
      .set({ acceptedReplyId: replyId, lastActivityAt: deps.clock.now() })
      .where("id", "=", topicId)
      .execute();
    await recordAccept(
      { db: trx, dialect: deps.dialect, clock: deps.clock },
      {
        communityId: row.communityId,
        topic: row,
        actorId: actor.id,
        previous: before.acceptedReplyId === null ? null : { id: before.acceptedReplyId },
        next: reply ? { id: reply.id, authorId: reply.authorId, official: reply.official === 1 } : null,
      },
    );
    if (reply) await queueBadgeCheck({ db: trx, clock: deps.clock }, row.communityId, [reply.authorId]);
    await lifecycle.solutionChanged({ db: trx, clock: deps.clock }, row);
  });
  await announce.solutionChanged(deps, { ...row, communitySlug: access.community.slug }, reply ?? null, actor);
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
  if (!can(access, "topic.follow")) throw forbidden("Join this community to follow topics.");
  return deps.db.transaction().execute(async (trx) => {
    await lockForRecount(trx, deps.dialect, "topics", topicId);
    if (on) {
      await trx
        .insertInto("follows")
        .values({ topicId, userId: actor.id, createdAt: deps.clock.now() })
        .onConflict((oc) => oc.columns(["topicId", "userId"]).doNothing())
        .execute();
    } else {
      await trx.deleteFrom("follows").where("topicId", "=", topicId).where("userId", "=", actor.id).execute();
    }
    const updated = await trx
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
    return { followers: Number(updated.followerCount), following: on };
  });
}
