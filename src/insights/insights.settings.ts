import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import { mergeSettings, readSection, writeSection } from "../db/settings.ts";
import type { InsightsSettingsInput } from "./insights.schema.ts";

/** How a community values a support contact, and in which time zone its days begin. */
export interface InsightsSettings {
  costPerContactCents: number;
  currency: string;
  timezone: string;
}

export const INSIGHTS_DEFAULTS: InsightsSettings = { costPerContactCents: 0, currency: "CHF", timezone: "UTC" };

const stored = z.object({ costPerContactCents: z.number().int(), currency: z.string(), timezone: z.string() });

export function insightsSettings(db: Db, communityId: number): Promise<InsightsSettings> {
  return readSection(db, communityId, "insights", stored, INSIGHTS_DEFAULTS);
}

export async function saveInsightsSettings(
  deps: Pick<Deps, "db" | "clock">,
  communityId: number,
  patch: InsightsSettingsInput,
): Promise<InsightsSettings> {
  const next = mergeSettings(await insightsSettings(deps.db, communityId), patch);
  await writeSection(deps.db, communityId, "insights", next, deps.clock.now());
  return next;
}
