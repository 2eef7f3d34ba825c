import type { Actor, Deps } from "../http/context.ts";
import type { VoteTarget } from "../db/schema.ts";
import type { Db, Dialect } from "../db/database.ts";
import { ensureMember } from "../communities/communities.service.ts";
import { can } from "../communities/privileges.ts";
import { forbidden, notFound, validationFailed } from "../lib/errors.ts";
import * as q from "./topics.queries.ts";
import { topicWithAccess } from "./topics.service.ts";
import { SOLVABLE_KINDS } from "./topics.policy.ts";
import * as announce from "./topics.announce.ts";

/** Finds what is voted on and who wrote it. */
async function voteTarget(deps: Deps, type: VoteTarget, id: number, actor: Actor | null) {
  if (type === "topic") {
    const { row, access } = await topicWithAccess(deps, id, actor);
    return { access, authorId: row.authorId, topicId: row.id };
  }
  const reply = await q.findReply(deps.db, id);
  if (!reply) throw notFound("Reply");
  const { access } = await topicWithAccess(deps, reply.topicId, actor);
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
 * the score is recomputed from the votes in the same transaction, so it cannot drift.
 */
export async function vote(deps: Deps, type: VoteTarget, id: number, actor: Actor, value: 1 | -1 | 0): Promise<{ score: number; value: number }> {
  const { access, authorId, topicId } = await voteTarget(deps, type, id, actor);
  if (authorId === actor.id) throw forbidden("You cannot vote on your own post.");
  if (!can(access, type === "topic" ? "topic.vote" : "reply.vote", authorId)) throw forbidden("You cannot vote here.");
  const result = await deps.db.transaction().execute(async (trx) => {
    await lockForRecount(trx, deps.dialect, type === "topic" ? "topics" : "replies", id);
    if (value === 0) {
      await trx.deleteFrom("votes").where("userId", "=", actor.id).where("targetType", "=", type).where("targetId", "=", id).execute();
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
    return { score: Number(updated.score), value };
  });
  await announce.scoreChanged(deps, topicId, { type, id, score: result.score });
  return result;
}

export async function accept(deps: Deps, topicId: number, actor: Actor, replyId: number | null) {
  const { row, access } = await topicWithAccess(deps, topicId, actor);
  if (!SOLVABLE_KINDS.includes(row.kind)) throw validationFailed({ replyId: `A ${row.kind} has no solution to accept.` });
  if (!can(access, "topic.accept", row.authorId)) throw forbidden("Only the asker or staff can accept a solution.");
  const reply = replyId === null ? null : await q.findReply(deps.db, replyId);
  if (replyId !== null && (!reply || reply.topicId !== topicId)) throw validationFailed({ replyId: "This reply does not belong to this topic." });
  await deps.db.updateTable("topics").set({ acceptedReplyId: replyId, lastActivityAt: deps.clock.now() }).where("id", "=", topicId).execute();
  await announce.solutionChanged(deps, { ...row, communitySlug: access.community.slug }, reply ?? null, actor);
  return { acceptedReplyId: replyId, status: replyId !== null ? "solved" : row.replyCount > 0 ? "answered" : "open" };
}

/** Follows ("me too") or unfollows a topic; idempotent, the count is recomputed. */
export async function follow(deps: Deps, topicId: number, actor: Actor, on: boolean): Promise<{ followers: number; following: boolean }> {
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
        followerCount: eb.selectFrom("follows").select((f) => f.fn.countAll<number>().as("n")).where("topicId", "=", topicId),
      }))
      .where("id", "=", topicId)
      .returning("followerCount")
      .executeTakeFirstOrThrow();
    return { followers: Number(updated.followerCount), following: on };
  });
}
