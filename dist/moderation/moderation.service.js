import { can } from "../access/privileges.js";
import { listAudit, recordAudit } from "../audit/audit.js";
import { forbidden } from "../core/errors.js";
import { mergeSettings, writeSection } from "../db/settings.js";
import { moderationSettings, moderationSettingsSchema } from "./moderation.settings.js";
/** Moderation settings (admins change them; reviewers may read them) and the audit log (admins). */
export async function readModerationSettings(deps, baseAccess) {
    const access = await baseAccess;
    // The blocked phrases would teach spammers what to avoid.
    if (!can(access, "community.configure") && !can(access, "review.queue"))
        throw forbidden("Only moderators and admins can see moderation settings.");
    return moderationSettings(deps.db, access.community.id);
}
export async function updateModerationSettings(deps, baseAccess, patch) {
    const access = await baseAccess;
    if (!can(access, "community.configure"))
        throw forbidden("Only community admins can change moderation settings.");
    const after = moderationSettingsSchema.parse(mergeSettings(await moderationSettings(deps.db, access.community.id), patch));
    await deps.db.transaction().execute(async (trx) => {
        await writeSection(trx, access.community.id, "moderation", after, deps.clock.now());
        await recordAudit({ db: trx, clock: deps.clock }, {
            communityId: access.community.id,
            actorId: access.actor.id,
            action: "settings.moderation",
            targetType: "community",
            targetId: access.community.id,
            details: { change: patch },
        });
    });
    return after;
}
/** Every moderator and admin action in the community, newest first (admins). */
export async function auditLog(deps, baseAccess, page) {
    const access = await baseAccess;
    if (!can(access, "audit.view"))
        throw forbidden("Only community admins can see the audit log.");
    const entries = await listAudit(deps.db, access.community.id, { before: page.before, limit: page.limit + 1 });
    const shown = entries.slice(0, page.limit);
    return { entries: shown, nextCursor: entries.length > page.limit ? shown[shown.length - 1].id : null };
}
