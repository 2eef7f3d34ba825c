import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import { patchSection, readSection } from "../db/settings.ts";
import { transaction } from "../core/transaction.ts";
import type { InsightsSettingsInput } from "./insights.schema.ts";
import { searchLocale } from "../search/index.ts";
import type { Basis } from "./insights.days.ts";
import { isTimeZone } from "./insights.time.ts";

/** How a community values a support contact, and in which time zone its days begin. */
export interface InsightsSettings {
  costPerContactCents: number;
  currency: string;
  timezone: string;
}

export const INSIGHTS_DEFAULTS: InsightsSettings = { costPerContactCents: 0, currency: "CHF", timezone: "UTC" };

/**
 * What is stored, each field checked on its own: a value the page could not use (a zone this
 * installation's time zone data does not know, as an archive from elsewhere may carry, or a
 * malformed currency) falls back to its default instead of failing every dashboard and rollup.
 */
const stored = z.object({
  costPerContactCents: z.number().int().min(0).catch(INSIGHTS_DEFAULTS.costPerContactCents),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .catch(INSIGHTS_DEFAULTS.currency),
  timezone: z.string().refine(isTimeZone).catch(INSIGHTS_DEFAULTS.timezone),
});

export function insightsSettings(db: Db, communityId: number): Promise<InsightsSettings> {
  return readSection(db, communityId, "insights", stored, INSIGHTS_DEFAULTS);
}

/** The settings, and the basis the community's days are cut and stemmed on (its time zone and locale). */
export async function insightsBasis(
  db: Db,
  communityId: number,
): Promise<{ settings: InsightsSettings; basis: Basis }> {
  const [settings, community] = await Promise.all([
    insightsSettings(db, communityId),
    db.selectFrom("communities").select("locale").where("id", "=", communityId).executeTakeFirstOrThrow(),
  ]);
  return { settings, basis: { communityId, timezone: settings.timezone, locale: searchLocale(community.locale) } };
}

export function saveInsightsSettings(deps: Deps, communityId: number, patch: InsightsSettingsInput) {
  return transaction(deps, (tx) =>
    patchSection(
      tx,
      { communityId, section: "insights", now: deps.clock.now() },
      (db) => insightsSettings(db, communityId),
      patch,
    ),
  );
}
