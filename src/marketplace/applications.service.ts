import type { Actor, Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { HelperStatus, HelpersTable } from "../db/schema.ts";
import { sql, type RawBuilder, type Selectable, type SqlBool } from "kysely";
import { ensureMember } from "../communities/index.ts";
import type { CommunityAccess } from "../access/access.ts";
import { assertMayParticipate } from "../access/participation.ts";
import { requirePrivilege } from "../access/privileges.ts";
import { recordAudit } from "../audit/audit.ts";
import { conflict, forbidden, notFound } from "../core/errors.ts";
import { hasCertification } from "../academy/index.ts";

import { settingsOf } from "./marketplace.settings.ts";
import { deletePhotoIfUnused, photoUrl, storePhoto } from "./marketplace.photos.ts";
import { tell, type MarketKind } from "./marketplace.notifications.ts";
import type { ApplicationInput, DecisionInput } from "./marketplace.schema.ts";
import { communityAccess } from "../communities/index.ts";
import { can } from "../access/privileges.ts";
import { iso } from "../lib/iso-time.ts";

type HelperRow = Selectable<HelpersTable>;

/** An application as its applicant and staff see it (phone and real name are not public). */
export function toApplication(row: HelperRow & { userName?: string }, slug: string) {
  return {
    id: row.id,
    community: slug,
    userId: row.userId,
    userName: row.userName,
    status: row.status,
    realName: row.realName,
    postalCode: row.postalCode,
    phone: row.phone,
    bio: row.bio,
    photoUrl: photoUrl(row.photoKey),
    reason: row.decisionReason,
    decidedAt: iso(row.decidedAt),
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
  };
}

/**
 * Whether the user may still take part in the community, as `isParticipant` decides it for a request:
 * not banned, and able to read it (public, a member, or a platform admin). A member removed from a
 * private community loses it at once; from a public one (without a ban) they keep it, as anyone does.
 */
export function userTakesPart(userId: RawBuilder<unknown>, communityId: RawBuilder<unknown>): RawBuilder<SqlBool> {
  return sql<SqlBool>`(not exists (select 1 from community_bans pb
      where pb.community_id = ${communityId} and pb.user_id = ${userId})
    and (exists (select 1 from communities pc where pc.id = ${communityId} and pc.visibility = 'public')
      or exists (select 1 from memberships pm where pm.community_id = ${communityId} and pm.user_id = ${userId})
      or exists (select 1 from users pu where pu.id = ${userId} and pu.is_platform_admin = 1)))`;
}

/**
 * A service friend sells (is found, booked and dispatched jobs) only while in good standing in the
 * community: taking part in it (see userTakesPart) and not suspended in it. Their offers come back
 * when that ends (a lifted ban, a new invitation, the end of a suspension).
 */
export function helperInGoodStanding(
  helperId: RawBuilder<unknown>,
  communityId: RawBuilder<unknown>,
  now: number,
): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${userTakesPart(helperId, communityId)}
    and not exists (select 1 from memberships gm
      where gm.community_id = ${communityId} and gm.user_id = ${helperId} and gm.suspended_until > ${now}))`;
}

/**
 * Whether the member sells in the community right now: an approved service friend in good standing.
 * Read it inside the transaction of a change (after lockHelper) so a suspension at the same moment counts.
 */
export async function helperSells(db: Db, communityId: number, userId: number, now: number): Promise<boolean> {
  return (await communitiesSoldIn(db, userId, [communityId], now)).has(communityId);
}

/** Of these communities, those the member sells in right now (helperSells for each, in one query). */
export async function communitiesSoldIn(
  db: Db,
  userId: number,
  communityIds: number[],
  now: number,
): Promise<Set<number>> {
  const rows = await db
    .selectFrom("helpers")
    .select("communityId")
    .where("userId", "=", userId)
    .where("communityId", "in", communityIds)
    .where("status", "=", "approved")
    .where(helperInGoodStanding(sql.val(userId), sql.ref("helpers.communityId"), now))
    .execute();
  return new Set(rows.map((r) => r.communityId));
}

export function findHelper(db: Db, communityId: number, userId: number) {
  return db
    .selectFrom("helpers")
    .selectAll()
    .where("communityId", "=", communityId)
    .where("userId", "=", userId)
    .executeTakeFirst();
}

/** Staff, moderators and admins of a community: who hears about new applications and unassigned jobs. */
export async function staffIds(db: Db, communityId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("memberships")
    .select("userId")
    .where("communityId", "=", communityId)
    .where("role", "in", ["staff", "moderator", "admin"])
    .execute();
  return rows.map((r) => r.userId);
}

/** Whether the member may (re)apply now; the refusal says why. */
async function checkCanApply(deps: Deps, access: CommunityAccess, existing: HelperRow | undefined): Promise<void> {
  requirePrivilege(access, "helper.apply", "Join this community to apply.");
  if (existing?.status === "pending") throw conflict("Your application is already waiting for review.");
  if (existing?.status === "approved") throw conflict("You are already a service friend.");
  if (existing?.status === "suspended") throw forbidden("Your service friend account is suspended.");
  await assertMayParticipate(deps, access, "apply");
  const { helperCourseId } = await settingsOf(deps.db, access.community.id);
  if (helperCourseId && !(await hasCertification(deps.db, helperCourseId, access.actor!.id, deps.clock.now()))) {
    throw forbidden("Pass the technical questionnaire of the academy before applying.");
  }
}

/** A member applies (or re-applies after a rejection or a request for changes) to become a service friend. */
export async function apply(
  deps: Deps,
  access: CommunityAccess,
  input: Omit<ApplicationInput, "photo">,
  photo: Buffer,
) {
  const actor = access.actor;
  if (!actor) throw forbidden("You need to log in to do this.");
  const communityId = access.community.id;
  const existing = await findHelper(deps.db, communityId, actor.id);
  await checkCanApply(deps, access, existing);
  const photoKey = await storePhoto(deps.config, photo);
  const now = deps.clock.now();
  const fields = {
    status: "pending" as const,
    realName: input.realName,
    postalCode: input.postalCode,
    phone: input.phone,
    photoKey,
    bio: input.bio,
    conductAcceptedAt: now,
    updatedAt: now,
  };
  try {
    const row = await deps.db.transaction().execute(async (trx) => {
      // The status condition makes two racing submissions write once.
      const saved = existing
        ? await trx
            .updateTable("helpers")
            .set({ ...fields, decisionReason: null })
            .where("id", "=", existing.id)
            .where("status", "=", existing.status)
            .returningAll()
            .executeTakeFirst()
        : await trx
            .insertInto("helpers")
            .values({
              communityId,
              userId: actor.id,
              ...fields,
              decisionReason: null,
              decidedBy: null,
              decidedAt: null,
              ratingSum: 0,
              ratingCount: 0,
              completedCount: 0,
              createdAt: now,
            })
            .onConflict((oc) => oc.columns(["communityId", "userId"]).doNothing())
            .returningAll()
            .executeTakeFirst();
      if (!saved) throw conflict("Your application is already waiting for review.");
      await ensureMember({ db: trx, clock: deps.clock }, communityId, actor.id);
      await tell({ db: trx, clock: deps.clock }, "application_submitted", {
        userIds: await staffIds(trx, communityId),
        communityId,
        actor,
        eventKey: `application:${saved.id}:${now}`,
        subject: `application:${saved.id}`,
        title: input.realName,
        url: `/c/${access.community.slug}/service-friends/staff`,
      });
      return saved;
    });
    deps.wakeJobs?.();
    // A new photo replaces the old one, which is personal data: not kept, nor served at its address.
    if (existing?.photoKey && existing.photoKey !== photoKey) await deletePhotoIfUnused(deps, existing.photoKey);
    return toApplication(row, access.community.slug);
  } catch (error) {
    await deletePhotoIfUnused(deps, photoKey);
    throw error;
  }
}

export async function myApplication(deps: Deps, access: CommunityAccess) {
  if (!access.actor) return null;
  const row = await findHelper(deps.db, access.community.id, access.actor.id);
  return row ? toApplication(row, access.community.slug) : null;
}

export async function listApplications(deps: Deps, access: CommunityAccess, status: HelperStatus) {
  if (!can(access, "application.review")) throw forbidden("Only staff review applications.");
  const rows = await deps.db
    .selectFrom("helpers")
    .innerJoin("users", "users.id", "helpers.userId")
    .selectAll("helpers")
    .select("users.name as userName")
    .where("helpers.communityId", "=", access.community.id)
    .where("helpers.status", "=", status)
    .orderBy("helpers.updatedAt")
    .limit(200)
    .execute();
  return rows.map((r) => toApplication(r, access.community.slug));
}

/** Which decision applies to which status, what it leads to and whom it tells. */
const TRANSITIONS: Record<DecisionInput["decision"], { from: HelperStatus[]; to: HelperStatus; kind: MarketKind }> = {
  approve: { from: ["pending", "changes_requested", "suspended"], to: "approved", kind: "application_approved" },
  reject: { from: ["pending", "changes_requested"], to: "rejected", kind: "application_rejected" },
  changes: { from: ["pending"], to: "changes_requested", kind: "application_changes" },
  suspend: { from: ["approved"], to: "suspended", kind: "helper_suspended" },
};

/** Staff decide on an application (or suspend a helper): recorded in the audit log, the applicant is told. */
export async function decide(deps: Deps, id: number, actor: Actor, input: DecisionInput) {
  const found = await deps.db
    .selectFrom("helpers")
    .innerJoin("users", "users.id", "helpers.userId")
    .selectAll("helpers")
    .select("users.deletedAt as userDeletedAt")
    .where("helpers.id", "=", id)
    .executeTakeFirst();
  if (!found) throw notFound("Application");
  const { userDeletedAt, ...row } = found;
  const access = await communityAccess(deps, { id: row.communityId }, actor, "Application");
  if (!can(access, "application.review")) throw notFound("Application");
  // Vetting takes a second person: a reviewer who applied waits for another one.
  if (row.userId === actor.id) throw forbidden("Another reviewer decides on your own application.");
  const transition = TRANSITIONS[input.decision];
  if (!transition.from.includes(row.status))
    throw conflict(
      `An application that is ${row.status.replace("_", " ")} cannot get the decision "${input.decision}".`,
    );
  // A deleted account sells nothing: it is neither approved nor reinstated.
  const deletedAccount = conflict("This member has deleted their account.");
  if (transition.to === "approved" && userDeletedAt !== null) throw deletedAccount;
  const now = deps.clock.now();
  const reason = input.reason || null;
  const updated = await deps.db.transaction().execute(async (trx) => {
    let update = trx
      .updateTable("helpers")
      .set({ status: transition.to, decisionReason: reason, decidedBy: actor.id, decidedAt: now, updatedAt: now })
      .where("id", "=", id)
      .where("status", "=", row.status);
    if (transition.to === "approved")
      update = update.where(({ exists, selectFrom }) =>
        exists(
          selectFrom("users")
            .select("users.id")
            .where("users.id", "=", row.userId)
            .where("users.deletedAt", "is", null),
        ),
      );
    const saved = await update.returningAll().executeTakeFirst();
    if (!saved) {
      const user = await trx
        .selectFrom("users")
        .select("deletedAt")
        .where("id", "=", row.userId)
        .executeTakeFirstOrThrow();
      if (transition.to === "approved" && user.deletedAt !== null) throw deletedAccount;
      throw conflict("Someone else decided on this application at the same time.");
    }
    await recordAudit(
      { db: trx, clock: deps.clock },
      {
        communityId: row.communityId,
        actorId: actor.id,
        action: `helper.${input.decision}`,
        targetType: "helper_application",
        targetId: id,
        details: { userId: row.userId, from: row.status, to: transition.to, ...(reason ? { reason } : {}) },
      },
    );
    await tell({ db: trx, clock: deps.clock }, transition.kind, {
      userIds: [row.userId],
      communityId: row.communityId,
      actor,
      eventKey: `decision:${id}:${now}`,
      subject: `application:${id}`,
      title: access.community.name,
      url: `/c/${access.community.slug}/service-friends/apply`,
      excerpt: reason ?? undefined,
    });
    return saved;
  });
  deps.wakeJobs?.();
  return toApplication(updated, access.community.slug);
}
