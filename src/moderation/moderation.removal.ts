import type { Deps } from "../core/deps.ts";
import type { CommunityAccess } from "../access/access.ts";
import { requirePrivilege } from "../access/privileges.ts";
import { recordAudit } from "../audit/audit.ts";
import { conflict, forbidden, notFound } from "../core/errors.ts";
import { transaction } from "../core/transaction.ts";
import { emit } from "../jobs/events.ts";
import { lockRows } from "../db/row-locks.ts";
import { endChampionship } from "../reputation/index.ts";
import { canActOnMember } from "./moderation.policy.ts";
import { findMember, type Member } from "./moderation.members.ts";

/**
 * Removing a member ends their membership at once: a private community's pages, API and live
 * streams refuse them from the next request (every one loads access afresh). A ban also keeps
 * them from joining again or taking part in a public community, until a moderator lifts it.
 */

/** The member to act on; a ban may also name a user who never joined (a visitor of a public community). */
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
  return { ...user, role: "member", isPlatformAdmin: Boolean(user.isPlatformAdmin) };
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
    // Role changes lock the community's row too (setMemberRole): a member promoted meanwhile is
    // judged by their new role, and a role given meanwhile cannot bring a banned member back.
    await lockRows(tx, "communities", [communityId]);
    const target = await targetOf({ ...deps, db: tx.db }, access, userId, input.ban);
    if (!canActOnMember(access, "member.remove", target)) throw forbidden("You cannot remove this member.");
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
