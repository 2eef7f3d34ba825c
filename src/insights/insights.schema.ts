import { z } from "zod";
import { LIMITS } from "../core/config.ts";
import { canonicalTimeZone, isTimeZone } from "./insights.time.ts";

export const INTERVALS = ["day", "week", "month"] as const;
/** The most days a range of two years holds (one with a 29 February); the service checks the calendar years. */
export const RANGE_DAYS_MAX = 731;

/**
 * Years are kept well inside four digits: the ranges are walked as YYYY-MM-DD strings, and a day
 * before year 0 or after 9999 is written "-000001-12-31" or "+010000-01-01", which sorts before
 * every date and made the walk endless.
 */
const YEARS = { min: 1970, max: 9000 };
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD.")
  .refine((v) => {
    const ms = Date.parse(`${v}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === v;
  }, "Not a date.")
  .refine((v) => {
    const year = Number(v.slice(0, 4));
    return year >= YEARS.min && year <= YEARS.max;
  }, `Use a date between ${YEARS.min} and ${YEARS.max}.`);

export const insightsQuery = z.object({
  /** First day, in the community's time zone, included; 30 days before `to` unless set. */
  from: date.optional(),
  /** Last day, in the community's time zone, included; today unless set. */
  to: date.optional(),
  /** Length of each row of `series`: day, week (Monday to Sunday) or month. */
  interval: z.enum(INTERVALS, { message: `Choose one of: ${INTERVALS.join(", ")}.` }).default("day"),
  /**
   * Only topics currently in this category (and their replies); deflection and members stay community-wide.
   * Empty (`?category=`, the page's "all categories") is absent, as on the page.
   */
  category: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce
      .number({ message: "Unknown category." })
      .int()
      .positive("Unknown category.")
      .max(LIMITS.idMax, "Unknown category.")
      .optional(),
  ),
});

export const insightsSettingsBody = z
  .object({
    /** What one support contact (call, email, chat) costs the company, in cents of `currency`. */
    costPerContactCents: z.number().int().min(0).max(100_000_000).optional(),
    /** ISO 4217 code of the money figures, e.g. CHF, EUR, USD. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "Use a three-letter currency code, e.g. CHF.")
      .optional(),
    /** IANA time zone in which the community's days begin, e.g. Europe/Zurich. */
    timezone: z
      .string()
      .max(64)
      .refine((v) => isTimeZone(v), { message: "Unknown time zone.", params: { messageKey: "form.timeZone" } })
      // One spelling per zone: "utc" again after "UTC" is no change (which would recompute the rollups).
      .transform(canonicalTimeZone)
      .optional(),
  })
  .refine((v) => Object.values(v).some((value) => value !== undefined), {
    message: "Nothing to change.",
    params: { messageKey: "form.nothingToChange" },
  });

export type InsightsQuery = z.infer<typeof insightsQuery>;
export type InsightsSettingsInput = z.infer<typeof insightsSettingsBody>;
