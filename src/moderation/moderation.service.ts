import type { Deps } from "../core/deps.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { changeSettingsAudited, listAudit } from "../audit/audit.ts";
import { forbidden } from "../core/errors.ts";
import { moderationSettings, moderationSettingsSchema, type ModerationSettingsPatch } from "./moderation.settings.ts";

/** Moderation settings (admins change them; reviewers may read them) and the audit log (admins). */

export async function readModerationSettings(deps: Deps, baseAccess: CommunityAccess) {
  const access = await baseAccess;
  // The blocked phrases would teach spammers what to avoid.
  if (!can(access, "community.configure") && !can(access, "review.queue"))
    throw forbidden("Only moderators and admins can see moderation settings.");
  return moderationSettings(deps.db, access.community.id);
}

export async function updateModerationSettings(
  deps: Deps,
  baseAccess: CommunityAccess,
  patch: ModerationSettingsPatch,
) {
  const access = await baseAccess;
  if (!can(access, "community.configure")) throw forbidden("Only community admins can change moderation settings.");
  return changeSettingsAudited(deps, access, {
    section: "moderation",
    auditAction: "settings.moderation",
    current: (db) => moderationSettings(db, access.community.id),
    patch,
    parse: (merged) => moderationSettingsSchema.parse(merged),
  });
}

/** Every moderator and admin action in the community, newest first (admins). */
export async function auditLog(deps: Deps, baseAccess: CommunityAccess, page: { before?: number; limit: number }) {
  const access = await baseAccess;
  if (!can(access, "audit.view")) throw forbidden("Only community admins can see the audit log.");
  const entries = await listAudit(deps.db, access.community.id, { before: page.before, limit: page.limit + 1 });
  const shown = entries.slice(0, page.limit);
  return { entries: shown, nextCursor: entries.length > page.limit ? shown[shown.length - 1].id : null };
}
