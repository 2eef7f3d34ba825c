import type { Actor, Deps } from "../core/deps.ts";
import type { FlagReason, PostType } from "../db/schema.ts";
import { can } from "../access/privileges.ts";
import { recordAudit } from "../audit/audit.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { conflict, forbidden } from "../core/errors.ts";
import { isTrustedFlagger } from "./moderation.policy.ts";
import { moderationSettings } from "./moderation.settings.ts";
import { queueForReview } from "./moderation.screening.ts";
import { loadPost, tellMember, type PostRef } from "./moderation.posts.ts";
import { lockedPostState, lockTopics, setPostState } from "../topics/index.ts";
import { transaction } from "../core/transaction.ts";
import type { Db } from "../db/database.ts";
import { assertNotSuspended } from "../access/access.ts";

/**
 * Flags: any member may flag someone else's post once, with a reason and an optional text. Every
 * flag puts the post in the review queue; enough flags from trusted members hide it at once,
 * pending review.
 */
async function trustedOpenFlags(db: Db, post: PostRef): Promise<number> {
  const row = await db
    .selectFrom("postFlags")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("targetType", "=", post.type)
    .where("targetId", "=", post.id)
    .where("status", "=", "open")
    .where("trusted", "=", 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function flagPost(
  deps: Deps,
  actor: Actor,
  type: PostType,
  id: number,
  input: { reason: FlagReason; text: string },
) {
  const { post, access } = await loadPost(deps, type, id, actor);
  assertNotSuspended(access);
  if (post.authorId === actor.id) throw forbidden("You cannot flag your own post.");
  if (!can(access, "post.flag", post.authorId)) throw forbidden("You cannot flag posts in this community.");
  const alreadyHandled = "This post is already hidden or waiting for review.";
  if (post.state !== "visible") throw conflict(alreadyHandled);
  const settings = await moderationSettings(deps.db, post.communityId);
  const trusted = isTrustedFlagger(access, settings);
  const now = deps.clock.now();
  try {
    return await transaction(deps, async (ctx) => {
      const trx = ctx.db;
      // Flags at once must count each other, and a moderator's decision meanwhile must stand: the
      // topic is locked as decidePost locks it, then the post's state read again.
      await lockTopics(ctx, [post.topicId]);
      if ((await lockedPostState(ctx, type, id)) !== "visible") throw conflict(alreadyHandled);
      const flag = await trx
        .insertInto("postFlags")
        .values({
          communityId: post.communityId,
          targetType: type,
          targetId: id,
          userId: actor.id,
          reason: input.reason,
          text: input.text,
          trusted: trusted ? 1 : 0,
          status: "open",
          createdAt: now,
        })
        .returning(["id", "reason", "text", "createdAt"])
        .executeTakeFirstOrThrow();
      await queueForReview(trx, {
        communityId: post.communityId,
        type,
        id,
        authorId: post.authorId,
        review: { reason: "flags", details: { signals: [] } },
        now,
      });
      const counted = await trustedOpenFlags(trx, post);
      const hidden = counted >= settings.flagsToHide;
      if (hidden) {
        await setPostState(ctx, post, "hidden");
        // No moderator did this; the log still shows why the post disappeared.
        await recordAudit(ctx, {
          communityId: post.communityId,
          actorId: null,
          action: "post.autohide",
          targetType: type,
          targetId: id,
          details: { trustedFlags: counted },
        });
        await tellMember(ctx, {
          userId: post.authorId,
          communityId: post.communityId,
          topicId: post.topicId,
          actorId: null,
          action: `autohide:${type}:${id}`,
          title: post.topicTitle,
          url: post.url,
        });
      }
      return {
        flag: {
          id: flag.id,
          reason: flag.reason,
          text: flag.text,
          trusted,
          createdAt: new Date(Number(flag.createdAt)).toISOString(),
        },
        hidden,
      };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("You have already flagged this post.");
    throw error;
  }
}
