import type { Actor, Deps } from "../core/deps.ts";
import { sql, type SqlBool } from "kysely";
import type { Db } from "../db/database.ts";
import type { ModerationState, PostType, ReviewStatus } from "../db/schema.ts";
import type { Clock } from "../core/clock.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { recordAudit } from "../audit/audit.ts";
import { notify } from "../notifications/index.ts";
import { AppError, conflict, forbidden, notFound } from "../core/errors.ts";
import { commentTopicIdSql, replyById } from "../topics/index.ts";
import { topicWithAccess } from "../topics/index.ts";
import { lockTopics, lockedPostState, setPostState } from "../topics/index.ts";
import { transaction, type Tx } from "../core/transaction.ts";
import { canSeePost } from "../topics/index.ts";
import { reversePost } from "../reputation/index.ts";
import { mayJudgePost } from "./moderation.policy.ts";

import { assertNotSuspended } from "../access/access.ts";

/**
 * Posts as moderation sees them (a topic, reply or comment with its topic and community) and the
 * state changes moderators make: hide, restore, approve, delete. Each change, its review-queue
 * item and flags, the audit record and the author's notification share one transaction.
 */
export interface PostRef {
  type: PostType;
  id: number;
  topicId: number;
  topicTitle: string;
  communityId: number;
  communitySlug: string;
  authorId: number;
  state: ModerationState;
  body: string;
  url: string;
}

/** A post and the actor's access to it (with standing); 404 when they may not see it. */
export async function loadPost(deps: Deps, type: PostType, id: number, actor: Actor | null) {
  let topicId = id;
  let own: { authorId: number; moderationState: ModerationState; body: string; anchor: string } | null = null;
  let parent: { authorId: number; moderationState: ModerationState } | null = null;
  if (type === "reply") {
    const reply = await replyById(deps, id);
    if (!reply) throw notFound("Post");
    topicId = reply.topicId;
    own = { ...reply, anchor: `#reply-${id}` };
  } else if (type === "comment") {
    const comment = await deps.db
      .selectFrom("comments")
      .leftJoin("replies", "replies.id", "comments.replyId")
      .select([
        "comments.authorId",
        "comments.moderationState",
        "comments.body",
        commentTopicIdSql.as("topicId"),
        "replies.authorId as replyAuthorId",
        "replies.moderationState as replyState",
      ])
      .where("comments.id", "=", id)
      .executeTakeFirst();
    if (!comment) throw notFound("Post");
    topicId = comment.topicId;
    own = { ...comment, anchor: `#comment-${id}` };
    // A comment under a reply the actor may not see is as unknown as the reply.
    if (comment.replyAuthorId !== null)
      parent = { authorId: comment.replyAuthorId, moderationState: comment.replyState! };
  }
  const { row, access } = await topicWithAccess(deps, topicId, actor);
  if (own && !canSeePost(access, own)) throw notFound("Post");
  if (parent && !canSeePost(access, parent)) throw notFound("Post");
  const url = `/c/${access.community.slug}/t/${row.id}${own?.anchor ?? ""}`;
  const post: PostRef = {
    type,
    id,
    topicId: row.id,
    topicTitle: row.title,
    communityId: row.communityId,
    communitySlug: access.community.slug,
    authorId: own?.authorId ?? row.authorId,
    state: own?.moderationState ?? row.moderationState,
    body: own?.body ?? row.body,
    url,
  };
  return { post, access, topic: row };
}

const ownPostRefused = () =>
  new AppError("forbidden", "This is your own post: someone else decides on it.", undefined, { key: "mod.ownPost" });

/** Refuses (403) an actor judging their own post (moderation.policy `mayJudgePost`). */
export function assertMayJudge(access: CommunityAccess, post: PostRef): void {
  if (!mayJudgePost(access, post)) throw ownPostRefused();
}

/** The audit actions that change a post's moderation state (an edit from the review queue approves it). */
const STATE_CHANGES = ["post.hide", "post.autohide", "post.approve", "post.restore", "post.edit", "post.delete"];

/**
 * Whether the author took their hidden post down themselves, so restoring it only undoes their own
 * act: the last state change the audit log holds is their hide of the visible post, and that hide
 * closed no review item (flags or screening waiting on it, which someone else judges). The hide's
 * own audit entry says so (`closedReview`, written by decidePost), so an earlier decision in the same
 * millisecond, or a clock stepped back, cannot be taken for it. Entries written before it did fall
 * back to the review item's time. Read under the topic's lock, as every hide and restore is written.
 */
async function hiddenByItsAuthor(db: Db, post: PostRef): Promise<boolean> {
  const last = await db
    .selectFrom("auditLog")
    .select(["actorId", "action", "details", "createdAt"])
    .where("communityId", "=", post.communityId)
    .where("targetType", "=", post.type)
    .where("targetId", "=", post.id)
    .where("action", "in", STATE_CHANGES)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (last?.action !== "post.hide" || last.actorId !== post.authorId) return false;
  const details = JSON.parse(last.details) as { from?: string; closedReview?: boolean };
  if (details.from !== "visible") return false;
  if (details.closedReview !== undefined) return !details.closedReview;
  const reviewClosed = await db
    .selectFrom("reviewQueue")
    .select("id")
    .where("targetType", "=", post.type)
    .where("targetId", "=", post.id)
    .where("resolvedBy", "=", post.authorId)
    .where("resolvedAt", ">=", last.createdAt)
    .executeTakeFirst();
  return reviewClosed === undefined;
}

/**
 * Closes the post's open review item and its open flags: agreed unless the post was approved.
 * True when a review item was open (this decision closed it).
 */
async function closeReview(
  ctx: { db: Db; clock: Clock },
  post: PostRef,
  status: Exclude<ReviewStatus, "open">,
  by: number | null,
): Promise<boolean> {
  const closed = await ctx.db
    .updateTable("reviewQueue")
    .set({ status, resolvedAt: ctx.clock.now(), resolvedBy: by })
    .where("targetType", "=", post.type)
    .where("targetId", "=", post.id)
    .where("status", "=", "open")
    .executeTakeFirst();
  await ctx.db
    .updateTable("postFlags")
    .set({ status: status === "approved" ? "dismissed" : "agreed" })
    .where("targetType", "=", post.type)
    .where("targetId", "=", post.id)
    .where("status", "=", "open")
    .execute();
  return Number(closed.numUpdatedRows) > 0;
}

/**
 * A deleted topic takes its replies and comments with it, a deleted reply its comments (they answer
 * 404 from now on): their open review items and flags close with the post's, else they would wait in
 * the queue for a decision nobody can take.
 */
async function closeReviewsUnder(ctx: { db: Db; clock: Clock }, post: PostRef, by: number): Promise<void> {
  const under =
    post.type === "topic"
      ? sql<SqlBool>`((target_type = 'reply' and target_id in
      (select r.id from replies r where r.topic_id = ${post.id}))
    or (target_type = 'comment' and target_id in (select c.id from comments c
      left join replies r on r.id = c.reply_id where c.topic_id = ${post.id} or r.topic_id = ${post.id})))`
      : sql<SqlBool>`(target_type = 'comment' and target_id in
      (select c.id from comments c where c.reply_id = ${post.id}))`;
  await ctx.db
    .updateTable("reviewQueue")
    .set({ status: "deleted", resolvedAt: ctx.clock.now(), resolvedBy: by })
    .where("status", "=", "open")
    .where(under)
    .execute();
  await ctx.db.updateTable("postFlags").set({ status: "agreed" }).where("status", "=", "open").where(under).execute();
}

/**
 * A merged topic's question lives on as a reply of the other topic (`mergedFromTopicId`): its open
 * review item and flags go with it, so reviewers judge the text where it now is (the merged topic
 * answers 404 to every decision).
 */
export async function moveReviewToMergedQuestion(db: Db, topicId: number): Promise<void> {
  const question = await db
    .selectFrom("replies")
    .select("id")
    .where("mergedFromTopicId", "=", topicId)
    .orderBy("id", "desc")
    .executeTakeFirst();
  if (!question) return;
  const to = { targetType: "reply" as const, targetId: question.id };
  for (const table of ["reviewQueue", "postFlags"] as const)
    await db
      .updateTable(table)
      .set(to)
      .where("targetType", "=", "topic")
      .where("targetId", "=", topicId)
      .where("status", "=", "open")
      .execute();
}

/** Tells a member what a moderator did (notification kind "moderation"); in the action's transaction. */
export async function tellMember(
  ctx: { db: Db; clock: Clock },
  p: {
    userId: number;
    communityId: number;
    topicId?: number | null;
    actorId: number | null;
    action: string;
    title: string;
    url: string;
  },
): Promise<void> {
  await notify(ctx, {
    kind: "moderation",
    userIds: [p.userId],
    communityId: p.communityId,
    topicId: p.topicId ?? null,
    actorId: p.actorId,
    eventKey: `moderation:${p.action}:${ctx.clock.now()}`,
    data: { title: p.title, url: p.url },
  });
}

type PostDecision = "approve" | "hide" | "delete";
const DECIDED: Record<PostDecision, { state: ModerationState; review: Exclude<ReviewStatus, "open">; audit: string }> =
  {
    approve: { state: "visible", review: "approved", audit: "post.approve" },
    hide: { state: "hidden", review: "hidden", audit: "post.hide" },
    delete: { state: "deleted", review: "deleted", audit: "post.delete" },
  };

/**
 * Approves (also restores), hides or deletes a post in one transaction with its review item, flags,
 * audit record and a word to the author. `before` runs first in the transaction (an edit).
 * A post held for approval is announced to followers once approved.
 */
export async function decidePost(
  deps: Deps,
  access: CommunityAccess,
  post: PostRef,
  decision: PostDecision,
  p: {
    reason: string;
    before?: (tx: Tx) => Promise<void>;
    auditAction?: string;
    reviewItemId?: number;
    /** A restore from the post itself: its author may undo their own hide (`hiddenByItsAuthor`). */
    restore?: boolean;
  },
): Promise<{ state: ModerationState }> {
  const actor = access.actor!;
  const target = DECIDED[decision];
  if (post.state === "deleted" || post.state === "merged") throw conflict("This post can no longer be changed.");
  // Approving one's own post would cancel its flags or its screening. Checked once: authors never change.
  // Restoring a hidden one they took down themselves is undoing their own act: checked under the lock.
  const undoingOwnHide = decision === "approve" && p.restore === true && post.state === "hidden";
  if (decision === "approve" && !undoingOwnHide) assertMayJudge(access, post);
  const ownPost = post.authorId === actor.id;
  // One instant for the whole decision (hiddenByItsAuthor reads older audit entries by it).
  const now = deps.clock.now();
  await transaction({ ...deps, clock: { now: () => now } }, async (ctx) => {
    // Two moderators at once: the second finds the post (or the review item) changed and is refused.
    // The topic is locked first, in the order merges and replies take their locks.
    await lockTopics(ctx, [post.topicId]);
    if ((await lockedPostState(ctx, post.type, post.id)) !== post.state)
      throw conflict("This post was moderated meanwhile; reload it and decide again.");
    if (undoingOwnHide && !mayJudgePost(access, post) && !(await hiddenByItsAuthor(ctx.db, post)))
      throw ownPostRefused();
    if (p.reviewItemId !== undefined) {
      const item = await ctx.db
        .selectFrom("reviewQueue")
        .select("status")
        .where("id", "=", p.reviewItemId)
        .executeTakeFirst();
      if (item?.status !== "open") throw conflict(`This item was already resolved (${item?.status}).`);
    }
    await p.before?.(ctx);
    // A held post approved is published by topics as if just posted.
    await setPostState(ctx, post, target.state, actor.id);
    if (decision === "delete" && post.type !== "comment") await reversePost(ctx, post.type, post.id);
    const closedReview = await closeReview(ctx, post, target.review, actor.id);
    if (decision === "delete" && post.type !== "comment") await closeReviewsUnder(ctx, post, actor.id);
    await recordAudit(ctx, {
      communityId: post.communityId,
      actorId: actor.id,
      action: p.auditAction ?? target.audit,
      targetType: post.type,
      targetId: post.id,
      details: {
        from: post.state,
        to: target.state,
        ...(p.reason ? { reason: p.reason } : {}),
        // An admin deciding on their own post (mayJudgePost), or a moderator hiding theirs.
        ...(ownPost ? { ownPost: true } : {}),
        // Whether an author's hide closed a review item: restoring it then is for someone else (hiddenByItsAuthor).
        ...(ownPost && decision === "hide" ? { closedReview } : {}),
      },
    });
    if (!ownPost) {
      const title = p.reason ? `${post.topicTitle} (${p.reason})` : post.topicTitle;
      // A deleted topic is readable by nobody: a notice tied to it would never be shown, and its
      // link would answer 404. Its author wrote the title the notice names.
      const topicGone = post.type === "topic" && decision === "delete";
      await tellMember(ctx, {
        userId: post.authorId,
        communityId: post.communityId,
        topicId: topicGone ? null : post.topicId,
        actorId: actor.id,
        action: `${decision}:${post.type}:${post.id}`,
        title,
        url: topicGone ? `/c/${post.communitySlug}` : post.url,
      });
    }
  });
  return { state: target.state };
}

/** Hides a post or restores a hidden one straight from the topic page (moderators). */
export async function hideOrRestore(
  deps: Deps,
  actor: Actor,
  type: PostType,
  id: number,
  hide: boolean,
  reason: string,
) {
  const { post, access } = await loadPost(deps, type, id, actor);
  assertNotSuspended(access);
  if (!can(access, "post.hide")) throw forbidden("Only moderators can hide or restore posts.");
  if (!hide && post.state === "visible") return { state: post.state };
  return decidePost(deps, access, post, hide ? "hide" : "approve", {
    reason,
    auditAction: hide ? "post.hide" : "post.restore",
    restore: !hide,
  });
}
