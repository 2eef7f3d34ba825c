import type { Deps } from "../core/deps.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { recordAudit } from "../audit/audit.ts";
import { AppError, forbidden, notFound } from "../core/errors.ts";
import { canActOnMember } from "./moderation.policy.ts";
import { tellMember } from "./moderation.posts.ts";
import type { Role } from "../db/schema.ts";
import { assertNotSuspended } from "../access/access.ts";
import { transaction, type Tx } from "../core/transaction.ts";
import { lockRows } from "../db/row-locks.ts";
import { emit } from "../jobs/events.ts";
import { DAY_MS } from "../lib/durations.ts";

/** Moderator actions on members: suspend for a period with a reason, lift it, warn. */

export type Member = { id: number; name: string; role: Role; isPlatformAdmin: boolean };

export async function findMember(deps: Deps, communityId: number, userId: number): Promise<Member | undefined> {
  const row = await deps.db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.userId")
    .select(["users.id", "users.name", "users.isPlatformAdmin", "memberships.role"])
    .where("memberships.communityId", "=", communityId)
    .where("memberships.userId", "=", userId)
    .executeTakeFirst();
  return row && { ...row, isPlatformAdmin: Boolean(row.isPlatformAdmin) };
}

async function memberOf(deps: Deps, communityId: number, userId: number): Promise<Member> {
  const member = await findMember(deps, communityId, userId);
  if (!member) throw notFound("Member");
  return member;
}

/**
 * What the viewer may do to a member of the community (suspend or lift a suspension, warn), as
 * the use cases below decide it; the profile page draws its forms from it. Nothing to oneself.
 */
export async function memberAbilities(deps: Deps, access: CommunityAccess, userId: number) {
  const moderator = can(access, "member.suspend") || can(access, "member.warn");
  const member =
    moderator && userId !== access.actor?.id ? await findMember(deps, access.community.id, userId) : undefined;
  return {
    suspend: member !== undefined && canActOnMember(access, "member.suspend", member),
    remove: member !== undefined && canActOnMember(access, "member.remove", member),
    warn: member !== undefined && canActOnMember(access, "member.warn", member),
  };
}

const profileUrl = (access: CommunityAccess, userId: number) => `/c/${access.community.slug}/u/${userId}`;

/**
 * Runs a suspension, its lifting or a warning under the community's row lock, which role changes and
 * bans take too (setMemberRole, removeMember): the member is read under it, so one promoted,
 * removed or banned meanwhile is judged as they are now, not as they were before the lock.
 */
function withMemberLocked<T>(
  deps: Deps,
  access: CommunityAccess,
  userId: number,
  rule: { privilege: "member.suspend" | "member.warn"; refusal: AppError },
  work: (tx: Tx, member: Member) => Promise<T>,
): Promise<T> {
  return transaction(deps, async (tx) => {
    await lockRows(tx, "communities", [access.community.id]);
    const member = await memberOf({ ...deps, db: tx.db }, access.community.id, userId);
    if (!canActOnMember(access, rule.privilege, member)) throw rule.refusal;
    return work(tx, member);
  });
}

/**
 * Suspends a member for some days: they keep reading, but every attempt to take part is refused
 * with the end date and this reason, which they are also told. Suspending again replaces it.
 */
export async function suspend(
  deps: Deps,
  baseAccess: CommunityAccess,
  userId: number,
  input: { days: number; reason: string },
) {
  const access = await baseAccess;
  assertNotSuspended(access);
  const until = deps.clock.now() + input.days * DAY_MS;
  const rule = { privilege: "member.suspend", refusal: forbidden("You cannot suspend this member.") } as const;
  await withMemberLocked(deps, access, userId, rule, async (tx) => {
    await tx.db
      .updateTable("memberships")
      .set({ suspendedUntil: until, suspensionReason: input.reason })
      .where("communityId", "=", access.community.id)
      .where("userId", "=", userId)
      .execute();
    await recordAudit(tx, {
      communityId: access.community.id,
      actorId: access.actor!.id,
      action: "member.suspend",
      targetType: "member",
      targetId: userId,
      details: { days: input.days, until: new Date(until).toISOString(), reason: input.reason },
    });
    await emit(tx, "member.suspended", { communityId: access.community.id, userId, until });
    await tellMember(tx, {
      userId,
      communityId: access.community.id,
      actorId: access.actor!.id,
      action: `suspend:${userId}`,
      title: input.reason,
      url: profileUrl(access, userId),
    });
  });
  return { userId, suspendedUntil: new Date(until).toISOString(), reason: input.reason };
}

export async function unsuspend(deps: Deps, baseAccess: CommunityAccess, userId: number) {
  const access = await baseAccess;
  assertNotSuspended(access);
  const rule = {
    privilege: "member.suspend",
    refusal: forbidden("You cannot lift this member's suspension."),
  } as const;
  await withMemberLocked(deps, access, userId, rule, async (tx, member) => {
    const lifted = await tx.db
      .updateTable("memberships")
      .set({ suspendedUntil: null, suspensionReason: null })
      .where("communityId", "=", access.community.id)
      .where("userId", "=", userId)
      .where("suspendedUntil", "is not", null)
      .executeTakeFirst();
    if (Number(lifted.numUpdatedRows) === 0)
      throw new AppError("conflict", "This member is not suspended.", undefined, { key: "mod.notSuspended" });
    await recordAudit(tx, {
      communityId: access.community.id,
      actorId: access.actor!.id,
      action: "member.unsuspend",
      targetType: "member",
      targetId: userId,
    });
    await tellMember(tx, {
      userId,
      communityId: access.community.id,
      actorId: access.actor!.id,
      action: `unsuspend:${userId}`,
      title: member.name,
      url: profileUrl(access, userId),
    });
  });
  return { userId, suspendedUntil: null };
}

/** Sends a member a warning with a reason (moderators); it is logged and reaches them as a notification. */
export async function warn(
  deps: Deps,
  baseAccess: CommunityAccess,
  userId: number,
  reason: string,
  about?: { type: string; id: number; url: string },
) {
  const access = await baseAccess;
  assertNotSuspended(access);
  if (!can(access, "member.warn")) throw forbidden("Only moderators can warn members.");
  const refusal = new AppError("forbidden", "You cannot warn this member.", undefined, { key: "mod.cannotWarn" });
  await withMemberLocked(deps, access, userId, { privilege: "member.warn", refusal }, async (ctx) => {
    await recordAudit(ctx, {
      communityId: access.community.id,
      actorId: access.actor!.id,
      action: "member.warn",
      targetType: "member",
      targetId: userId,
      details: { reason, ...(about ? { post: `${about.type}:${about.id}` } : {}) },
    });
    await tellMember(ctx, {
      userId,
      communityId: access.community.id,
      actorId: access.actor!.id,
      action: `warn:${userId}`,
      title: reason,
      url: about?.url ?? profileUrl(access, userId),
    });
  });
  return { userId, warned: true };
}
