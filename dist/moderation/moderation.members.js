import { can } from "../access/privileges.js";
import { recordAudit } from "../audit/audit.js";
import { forbidden, notFound } from "../core/errors.js";
import { canSuspend } from "./moderation.policy.js";
import { tellMember } from "./moderation.posts.js";
import { assertNotSuspended } from "../access/access.js";
/** Moderator actions on members: suspend for a period with a reason, lift it, warn. */
const DAY = 86_400_000;
async function findMember(deps, communityId, userId) {
    const row = await deps.db
        .selectFrom("memberships")
        .innerJoin("users", "users.id", "memberships.userId")
        .select(["users.id", "users.name", "users.isPlatformAdmin", "memberships.role"])
        .where("memberships.communityId", "=", communityId)
        .where("memberships.userId", "=", userId)
        .executeTakeFirst();
    return row && { ...row, isPlatformAdmin: Boolean(row.isPlatformAdmin) };
}
async function memberOf(deps, communityId, userId) {
    const member = await findMember(deps, communityId, userId);
    if (!member)
        throw notFound("Member");
    return member;
}
/**
 * What the viewer may do to a member of the community (suspend or lift a suspension, warn), as
 * the use cases below decide it; the profile page draws its forms from it. Nothing to oneself.
 */
export async function memberAbilities(deps, access, userId) {
    const moderator = can(access, "member.suspend") || can(access, "member.warn");
    const member = moderator && userId !== access.actor?.id ? await findMember(deps, access.community.id, userId) : undefined;
    return {
        suspend: member !== undefined && canSuspend(access, member),
        warn: member !== undefined && can(access, "member.warn"),
    };
}
const profileUrl = (access, userId) => `/c/${access.community.slug}/u/${userId}`;
/**
 * Suspends a member for some days: they keep reading, but every attempt to take part is refused
 * with the end date and this reason, which they are also told. Suspending again replaces it.
 */
export async function suspend(deps, baseAccess, userId, input) {
    const access = await baseAccess;
    assertNotSuspended(access);
    const member = await memberOf(deps, access.community.id, userId);
    if (!canSuspend(access, member))
        throw forbidden("You cannot suspend this member.");
    const until = deps.clock.now() + input.days * DAY;
    await deps.db.transaction().execute(async (trx) => {
        const ctx = { db: trx, clock: deps.clock };
        await trx
            .updateTable("memberships")
            .set({ suspendedUntil: until, suspensionReason: input.reason })
            .where("communityId", "=", access.community.id)
            .where("userId", "=", userId)
            .execute();
        await recordAudit(ctx, {
            communityId: access.community.id,
            actorId: access.actor.id,
            action: "member.suspend",
            targetType: "member",
            targetId: userId,
            details: { days: input.days, until: new Date(until).toISOString(), reason: input.reason },
        });
        await tellMember(ctx, {
            userId,
            communityId: access.community.id,
            actorId: access.actor.id,
            action: `suspend:${userId}`,
            title: input.reason,
            url: profileUrl(access, userId),
        });
    });
    return { userId, suspendedUntil: new Date(until).toISOString(), reason: input.reason };
}
export async function unsuspend(deps, baseAccess, userId) {
    const access = await baseAccess;
    assertNotSuspended(access);
    const member = await memberOf(deps, access.community.id, userId);
    if (!canSuspend(access, member))
        throw forbidden("You cannot lift this member's suspension.");
    await deps.db.transaction().execute(async (trx) => {
        const ctx = { db: trx, clock: deps.clock };
        await trx
            .updateTable("memberships")
            .set({ suspendedUntil: null, suspensionReason: null })
            .where("communityId", "=", access.community.id)
            .where("userId", "=", userId)
            .execute();
        await recordAudit(ctx, {
            communityId: access.community.id,
            actorId: access.actor.id,
            action: "member.unsuspend",
            targetType: "member",
            targetId: userId,
        });
        await tellMember(ctx, {
            userId,
            communityId: access.community.id,
            actorId: access.actor.id,
            action: `unsuspend:${userId}`,
            title: member.name,
            url: profileUrl(access, userId),
        });
    });
    return { userId, suspendedUntil: null };
}
/** Sends a member a warning with a reason (moderators); it is logged and reaches them as a notification. */
export async function warn(deps, baseAccess, userId, reason, about) {
    const access = await baseAccess;
    assertNotSuspended(access);
    if (!can(access, "member.warn"))
        throw forbidden("Only moderators can warn members.");
    await memberOf(deps, access.community.id, userId);
    await deps.db.transaction().execute(async (trx) => {
        const ctx = { db: trx, clock: deps.clock };
        await recordAudit(ctx, {
            communityId: access.community.id,
            actorId: access.actor.id,
            action: "member.warn",
            targetType: "member",
            targetId: userId,
            details: { reason, ...(about ? { post: `${about.type}:${about.id}` } : {}) },
        });
        await tellMember(ctx, {
            userId,
            communityId: access.community.id,
            actorId: access.actor.id,
            action: `warn:${userId}`,
            title: reason,
            url: about?.url ?? profileUrl(access, userId),
        });
    });
    return { userId, warned: true };
}
