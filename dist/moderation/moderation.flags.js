import { can } from "../access/privileges.js";
import { recordAudit } from "../audit/audit.js";
import { isUniqueViolation } from "../db/errors.js";
import { conflict, forbidden } from "../core/errors.js";
import { isTrustedFlagger } from "./moderation.policy.js";
import { moderationSettings } from "./moderation.settings.js";
import { queueForReview } from "./moderation.screening.js";
import { loadPost, tellMember } from "./moderation.posts.js";
import { setPostState } from "../topics/index.js";
import { transaction } from "../core/transaction.js";
import { assertNotSuspended } from "../access/access.js";
/**
 * Flags: any member may flag someone else's post once, with a reason and an optional text. Every
 * flag puts the post in the review queue; enough flags from trusted members hide it at once,
 * pending review.
 */
async function trustedOpenFlags(db, post) {
    const row = await db
        .selectFrom("postFlags")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("targetType", "=", post.type)
        .where("targetId", "=", post.id)
        .where("status", "=", "open")
        .where("trusted", "=", 1)
        .executeTakeFirstOrThrow();
    return Number(row.n);
}
export async function flagPost(deps, actor, type, id, input) {
    const { post, access } = await loadPost(deps, type, id, actor);
    assertNotSuspended(access);
    if (post.authorId === actor.id)
        throw forbidden("You cannot flag your own post.");
    if (!can(access, "post.flag", post.authorId))
        throw forbidden("You cannot flag posts in this community.");
    if (post.state !== "visible")
        throw conflict("This post is already hidden or waiting for review.");
    const settings = await moderationSettings(deps.db, post.communityId);
    const trusted = isTrustedFlagger(access, settings);
    const now = deps.clock.now();
    try {
        return await transaction(deps, async (ctx) => {
            const trx = ctx.db;
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
    }
    catch (error) {
        if (isUniqueViolation(error))
            throw conflict("You have already flagged this post.");
        throw error;
    }
}
