import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import { STAFF_AND_MODERATORS, type CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import type { ParticipationGate } from "../access/participation.ts";
import { forbidden } from "../core/errors.ts";
import { readSection } from "../db/settings.ts";
import { changeSettingsAudited } from "../audit/audit.ts";

/**
 * Email verification per community: unverified members may always read; whether they may post is
 * the community's setting. Staff and moderators see who is verified.
 */

export const accountSettingsSchema = z.object({
  /** Members who have not confirmed their email address may post (topics, replies, comments). */
  unverifiedMayPost: z.boolean(),
});
export type AccountSettings = z.infer<typeof accountSettingsSchema>;
export const accountSettingsPatch = accountSettingsSchema.partial();

const DEFAULTS: AccountSettings = { unverifiedMayPost: true };
const SECTION = "accounts";

export function accountSettings(db: Db, communityId: number): Promise<AccountSettings> {
  return readSection(db, communityId, SECTION, accountSettingsSchema, DEFAULTS);
}

const isStaff = (access: CommunityAccess) => access.role !== null && STAFF_AND_MODERATORS.includes(access.role);

export async function readAccountSettings(deps: Deps, access: CommunityAccess): Promise<AccountSettings> {
  if (!isStaff(access)) throw forbidden("Only staff can see the community's account settings.");
  return accountSettings(deps.db, access.community.id);
}

export async function updateAccountSettings(
  deps: Deps,
  access: CommunityAccess,
  patch: z.infer<typeof accountSettingsPatch>,
): Promise<AccountSettings> {
  if (!can(access, "community.configure")) throw forbidden("Only community admins can change account settings.");
  return changeSettingsAudited(deps, access, {
    section: SECTION,
    auditAction: "settings.accounts",
    current: (db) => accountSettings(db, access.community.id),
    patch,
  });
}

export async function isEmailVerified(db: Db, userId: number): Promise<boolean> {
  const row = await db.selectFrom("users").select("emailVerifiedAt").where("id", "=", userId).executeTakeFirst();
  return row?.emailVerifiedAt !== null && row?.emailVerifiedAt !== undefined;
}

/**
 * The participation gate of the accounts domain: refuses a post from an unverified member where the
 * community asks for verified ones (staff are exempt).
 */
export const verifiedEmailGate: ParticipationGate = async (deps, access, action) => {
  if (action !== "post" || !access.actor || isStaff(access)) return;
  const settings = await accountSettings(deps.db, access.community.id);
  if (settings.unverifiedMayPost || (await isEmailVerified(deps.db, access.actor.id))) return;
  throw forbidden(
    "Confirm your email address to post here: open the link we sent you, or send a new one from your account page.",
  );
};
