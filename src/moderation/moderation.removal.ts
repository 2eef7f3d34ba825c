import type { Deps } from "../core/deps.ts";
import type { CommunityAccess } from "../access/access.ts";
import { requirePrivilege } from "../access/privileges.ts";
import { recordAudit } from "../audit/audit.ts";
import { AppError, conflict, forbidden, notFound } from "../core/errors.ts";
import { transaction, type Tx } from "../core/transaction.ts";
import { emit } from "../jobs/events.ts";
import { lockRows } from "../db/row-locks.ts";
import { endChampionship } from "../reputation/index.ts";
import { canActOnMember } from "./moderation.policy.ts";
import { findMember, type Member } from "./moderation.members.ts";
import type { Db } from "../db/database.ts";
import type { Role } from "../db/schema.ts";

/**
 * Removing a member ends their membership at once: a private community's pages, API and live
 * streams refuse them from the next request (every one loads access afresh). A ban also keeps
 * them from joining again or taking part in a public community, until a moderator lifts it.
 */

/**
 * The role a banned user had in the community, as the ban's audit entry records it (the membership
 * went with the ban); "member" for a user not banned. So only those who could place a ban on former
 * staff or a moderator lift or renew it.
 */
async function roleWhenBanned(db: Db, communityId: number, userId: number): Promise<Role> {
  const banned = await db
    .selectFrom("communityBans")
    .innerJoin("auditLog", (join) =>
      join
        .onRef("auditLog.communityId", "=", "communityBans.communityId")
        .onRef("auditLog.targetId", "=", "communityBans.userId")
        .on("auditLog.targetType", "=", "member")
        .on("auditLog.action", "=", "member.ban"),
    )
    .select("auditLog.details")
    .where("communityBans.communityId", "=", communityId)
    .where("communityBans.userId", "=", userId)
    .orderBy("auditLog.id", "desc")
    .limit(1)
    .executeTakeFirst();
  return banned ? ((JSON.parse(banned.details) as { role?: Role }).role ?? "member") : "member";
}

/** The member to act on; a ban may also name a user who is not one (a visitor, or one banned already). */
async function targetOf(deps: Deps, access: CommunityAccess, userId: number, ban: boolean): Promise<Member> {
  const member = await findMember(deps, access.community.id, userId);
  if (member) return member;
  const user = ban
    ? await deps.db
        .selectFrom("users")
        .select(["id", "name", "isPlatformAdmin"])
        .where("id", "=", userId)
        .executeTakeFirst()
    : undefined;
  if (!user) throw notFound("Member");
  const role = await roleWhenBanned(deps.db, access.community.id, userId);
  return { ...user, role, isPlatformAdmin: Boolean(user.isPlatformAdmin) };
}

/**
 * Locks the community's row, as role changes do (setMemberRole), and reads the target under it: a
 * member promoted meanwhile is judged by their new role, and a role given meanwhile cannot bring a
 * banned member back. Refuses (`refusal`) a target above the actor's rank (canActOnMember).
 */
async function lockedTarget(
  deps: Deps,
  tx: Tx,
  access: CommunityAccess,
  userId: number,
  ban: boolean,
  refusal: AppError,
): Promise<Member> {
  await lockRows(tx, "communities", [access.community.id]);
  const target = await targetOf({ ...deps, db: tx.db }, access, userId, ban);
  if (!canActOnMember(access, "member.remove", target)) throw refusal;
  return target;
}

export async function removeMember(
  deps: Deps,
  access: CommunityAccess,
  userId: number,
  input: { ban: boolean; reason: string },
) {
  requirePrivilege(access, "member.remove", "Only moderators can remove members.");
  const communityId = access.community.id;
  const now = deps.clock.now();
  await transaction(deps, async (tx) => {
    const refusal = forbidden("You cannot remove this member.");
    const target = await lockedTarget(deps, tx, access, userId, input.ban, refusal);
    const removed = await tx.db
      .deleteFrom("memberships")
      .where("communityId", "=", communityId)
      .where("userId", "=", userId)
      .returning(["suspendedUntil", "createdAt"])
      .executeTakeFirst();
    // The suspension lives on the membership: removed without a ban, a member of a public
    // community would take part again at once, unsuspended.
    if (!input.ban && removed?.suspendedUntil != null && Number(removed.suspendedUntil) > now)
      throw conflict("This member is suspended: ban them to keep them out, or remove them once the suspension ends.");
    if (removed) await emit(tx, "membership.ended", { communityId, userId, joinedAt: Number(removed.createdAt) });
    // Champion rights (and the public list of champions) go with the membership.
    await endChampionship(tx, communityId, userId);
    if (input.ban) {
      await tx.db
        .insertInto("communityBans")
        .values({ communityId, userId, bannedBy: access.actor!.id, reason: input.reason, createdAt: now })
        .onConflict((oc) => oc.columns(["communityId", "userId"]).doUpdateSet({ reason: input.reason }))
        .execute();
    }
    await recordAudit(tx, {
      communityId,
      actorId: access.actor!.id,
      action: input.ban ? "member.ban" : "member.remove",
      targetType: "member",
      targetId: userId,
      details: { role: target.role, ...(input.reason ? { reason: input.reason } : {}) },
    });
  });
  return { userId, removed: true, banned: input.ban };
}

export async function liftBan(deps: Deps, access: CommunityAccess, userId: number) {
  requirePrivilege(access, "member.remove", "Only moderators can lift bans.");
  await transaction(deps, async (tx) => {
    const refusal = new AppError("forbidden", "Only an admin can lift this ban.", undefined, {
      key: "mod.cannotLiftBan",
    });
    await lockedTarget(deps, tx, access, userId, true, refusal);
    const lifted = await tx.db
      .deleteFrom("communityBans")
      .where("communityId", "=", access.community.id)
      .where("userId", "=", userId)
      .executeTakeFirst();
    if (Number(lifted.numDeletedRows) === 0) throw notFound("Ban");
    await recordAudit(tx, {
      communityId: access.community.id,
      actorId: access.actor!.id,
      action: "member.unban",
      targetType: "member",
      targetId: userId,
    });
  });
  return { userId, banned: false };
}
