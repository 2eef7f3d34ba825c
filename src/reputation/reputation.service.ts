import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { changeSettingsAudited, recordAudit, recordCommunityAudit } from "../audit/audit.ts";
import { forbidden, notFound } from "../core/errors.ts";
import { transaction } from "../core/transaction.ts";
import { queueBadgeCheck } from "./reputation.badges.ts";
import { inGoodStanding } from "./reputation.profile.ts";
import { correctTotal, totalsOffLedger } from "./reputation.kudos.ts";
import {
  reputationSettings,
  reputationSettingsSchema,
  type ReputationSettingsPatch,
} from "../access/reputation-settings.ts";

/** Community admins' use cases: settings, champions, champions-only categories, recounting. Each is audited. */

export async function updateReputationSettings(
  deps: Deps,
  baseAccess: CommunityAccess,
  patch: ReputationSettingsPatch,
) {
  const access = await baseAccess;
  if (!can(access, "community.configure")) throw forbidden("Only community admins can change reputation settings.");
  return changeSettingsAudited(deps, access, {
    section: "reputation",
    auditAction: "settings.reputation",
    current: (db) => reputationSettings(db, access.community.id),
    patch,
    parse: (merged) => reputationSettingsSchema.parse(merged),
  });
}

/** A member leaves the community (removed or banned): their champion rights end with the membership. */
export async function endChampionship(tx: { db: Db }, communityId: number, userId: number): Promise<void> {
  await tx.db
    .updateTable("reputation")
    .set({ championSince: null })
    .where("communityId", "=", communityId)
    .where("userId", "=", userId)
    .execute();
}

/** Enrols a member in the champions program or ends it (staff, moderators, admins). */
export async function setChampion(deps: Deps, baseAccess: CommunityAccess, userId: number, champion: boolean) {
  const access = await baseAccess;
  if (!can(access, "champion.enrol")) throw forbidden("Only staff can enrol champions.");
  const communityId = access.community.id;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const ctx = { db: trx, clock: deps.clock };
    // Read in the transaction, the membership locked on PostgreSQL: a member removed meanwhile (which
    // ends their championship) is not enrolled after it, keeping champion rights without a membership.
    let membership = trx
      .selectFrom("memberships")
      .select("userId")
      .where("communityId", "=", communityId)
      .where("userId", "=", userId);
    if (deps.dialect === "postgres") membership = membership.forUpdate();
    if (!(await membership.executeTakeFirst())) throw notFound("Member");
    await trx
      .insertInto("reputation")
      .values({ communityId, userId, kudos: 0, balance: 0, championSince: champion ? now : null, updatedAt: now })
      .onConflict((oc) =>
        oc.columns(["communityId", "userId"]).doUpdateSet((eb) => ({
          // Re-enrolling keeps the original date.
          championSince: champion ? eb.fn.coalesce("reputation.championSince", eb.val(now)) : null,
          updatedAt: now,
        })),
      )
      .execute();
    await recordAudit(ctx, {
      communityId,
      actorId: access.actor!.id,
      action: champion ? "champion.enrol" : "champion.remove",
      targetType: "member",
      targetId: userId,
    });
    if (champion) await queueBadgeCheck(ctx, communityId, [userId]);
  });
  return { userId, champion };
}

export async function listChampions(deps: Deps, access: CommunityAccess) {
  const rows = await deps.db
    .selectFrom("reputation")
    .innerJoin("users", "users.id", "reputation.userId")
    .select(["users.id", "users.name", "reputation.kudos", "reputation.championSince"])
    .where("reputation.communityId", "=", access.community.id)
    .where("reputation.championSince", "is not", null)
    .where(inGoodStanding(access.community.id))
    .orderBy("users.name")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kudos: Number(r.kudos),
    since: new Date(Number(r.championSince)).toISOString(),
  }));
}

/** Makes a category visible only to champions and staff, or to everyone again (admins). */
export async function setChampionsOnly(
  deps: Deps,
  baseAccess: CommunityAccess,
  categoryId: number,
  championsOnly: boolean,
) {
  const access = await baseAccess;
  if (!can(access, "community.configure")) throw forbidden("Only community admins can change categories.");
  await deps.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("categories")
      .set({ championsOnly: championsOnly ? 1 : 0 })
      .where("id", "=", categoryId)
      .where("communityId", "=", access.community.id)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw notFound("Category");
    await recordAudit(
      { db: trx, clock: deps.clock },
      {
        communityId: access.community.id,
        actorId: access.actor!.id,
        action: "category.champions_only",
        targetType: "category",
        targetId: categoryId,
        details: { championsOnly },
      },
    );
  });
  return { categoryId, championsOnly };
}

/** Rebuilds the totals of a community from its ledger (admins); returns how many were wrong. */
export async function recompute(deps: Deps, baseAccess: CommunityAccess) {
  const access = await baseAccess;
  if (!can(access, "community.configure")) throw forbidden("Only community admins can recompute kudos.");
  const communityId = access.community.id;
  let corrected = 0;
  // One transaction per member: votes keep landing while a large community is checked.
  for (const userId of await totalsOffLedger(deps.db, communityId)) {
    if (await transaction(deps, (tx) => correctTotal(tx, communityId, userId))) corrected += 1;
  }
  await recordCommunityAudit(deps, access, "kudos.recompute", { corrected });
  return { corrected };
}
