import type { Db } from "../db/database.ts";
import type { Deps } from "../core/deps.ts";
import type { MarketplaceSettingsTable } from "../db/schema.ts";
import type { CommunityAccess } from "../access/access.ts";
import { forbidden } from "../core/errors.ts";
import { transaction } from "../core/transaction.ts";
import { recordSettingsChange } from "../audit/audit.ts";
import { requireCourseOf } from "../academy/index.ts";

import type { SettingsInput } from "./marketplace.schema.ts";
import { can } from "../access/privileges.ts";

export type MarketplaceSettings = Omit<MarketplaceSettingsTable, "communityId">;

/** The defaults of a community that never changed its settings (the migration's column defaults). */
export const DEFAULT_SETTINGS: MarketplaceSettings = {
  currency: "CHF",
  platformFeePercent: 20,
  freeCancelHours: 24,
  timezone: "Europe/Zurich",
  helperCourseId: null,
  codeOfConduct: "",
  dispatchBatch: 3,
  dispatchWaitMinutes: 60,
};

export async function settingsOf(db: Db, communityId: number): Promise<MarketplaceSettings> {
  const row = await db
    .selectFrom("marketplaceSettings")
    .selectAll()
    .where("communityId", "=", communityId)
    .executeTakeFirst();
  if (!row) return DEFAULT_SETTINGS;
  const { communityId: _ignored, ...settings } = row;
  return settings;
}

export async function updateSettings(
  deps: Deps,
  access: CommunityAccess,
  input: SettingsInput,
): Promise<MarketplaceSettings> {
  if (!can(access, "settings.manage")) throw forbidden("Only community admins can change marketplace settings.");
  const communityId = access.community.id;
  if (input.helperCourseId) await requireCourseOf(deps.db, communityId, input.helperCourseId, "helperCourseId");
  const changes = Object.fromEntries(
    Object.entries(input).filter(([, v]) => v !== undefined),
  ) as Partial<MarketplaceSettings>;
  // The change and its audit entry in one transaction, as other settings sections record them (audit.ts).
  return transaction(deps, async (tx) => {
    const next = { ...(await settingsOf(tx.db, communityId)), ...changes };
    // Only the fields sent are written over a stored row: two admins changing different settings at
    // once both keep their change.
    await tx.db
      .insertInto("marketplaceSettings")
      .values({ communityId, ...next })
      .onConflict((oc) =>
        Object.keys(changes).length
          ? oc.column("communityId").doUpdateSet(changes)
          : oc.column("communityId").doNothing(),
      )
      .execute();
    if (Object.keys(changes).length) await recordSettingsChange(tx, access, "settings.marketplace", changes);
    return settingsOf(tx.db, communityId);
  });
}
