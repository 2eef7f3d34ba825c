import { forbidden } from "../core/errors.js";
import { requireCourseOf } from "../academy/index.js";
import { can } from "../access/privileges.js";
/** The defaults of a community that never changed its settings (the migration's column defaults). */
export const DEFAULT_SETTINGS = {
    currency: "CHF",
    platformFeePercent: 20,
    freeCancelHours: 24,
    timezone: "Europe/Zurich",
    helperCourseId: null,
    codeOfConduct: "",
    dispatchBatch: 3,
    dispatchWaitMinutes: 60,
};
export async function settingsOf(db, communityId) {
    const row = await db
        .selectFrom("marketplaceSettings")
        .selectAll()
        .where("communityId", "=", communityId)
        .executeTakeFirst();
    if (!row)
        return DEFAULT_SETTINGS;
    const { communityId: _ignored, ...settings } = row;
    return settings;
}
export async function updateSettings(deps, access, input) {
    if (!can(access, "settings.manage"))
        throw forbidden("Only community admins can change marketplace settings.");
    const communityId = access.community.id;
    if (input.helperCourseId)
        await requireCourseOf(deps.db, communityId, input.helperCourseId, "helperCourseId");
    const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const next = { ...(await settingsOf(deps.db, communityId)), ...changes };
    await deps.db
        .insertInto("marketplaceSettings")
        .values({ communityId, ...next })
        .onConflict((oc) => oc.column("communityId").doUpdateSet(next))
        .execute();
    return next;
}
