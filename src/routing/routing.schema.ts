import { z } from "zod";

export const optOutBody = z.object({
  /** true: offer me no questions (Questions for you stays empty); false: offer me questions again. */
  optedOut: z.boolean({ message: "Use true or false." }),
});

export const routingSettingsBody = z
  .object({
    /** Experts a new question is offered to at once (default 3). */
    experts: z.number().int().min(1).max(10).optional(),
    /** Offer the question to the next experts when none answered within this many minutes (default 1440). */
    rerouteAfterMinutes: z
      .number()
      .int()
      .min(5)
      .max(30 * 24 * 60)
      .optional(),
    /** An expert holding this many open routed questions gets no more (default 5). */
    maxOpen: z.number().int().min(1).max(100).optional(),
  })
  .refine((v) => Object.values(v).some((value) => value !== undefined), {
    message: "Nothing to change.",
    params: { messageKey: "form.nothingToChange" },
  });

export const PERIODS = ["day", "week", "month"] as const;
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD.")
  // A day that exists: Date.parse reads 2024-02-30 as March 1st.
  .refine(
    (s) => !Number.isNaN(Date.parse(s)) && new Date(Date.parse(s)).toISOString().slice(0, 10) === s,
    "Not a date.",
  );

export const routingStatsQuery = z.object({
  /** Length of each period: day, week (Monday to Sunday, UTC) or month. */
  period: z.enum(PERIODS).default("week"),
  /** First day (UTC) of the range; default: 12 periods before `to`. */
  from: isoDate.optional(),
  /** Last day (UTC) of the range, included; default: today. */
  to: isoDate.optional(),
});

export type RoutingSettingsInput = z.infer<typeof routingSettingsBody>;
export type RoutingStatsInput = z.infer<typeof routingStatsQuery>;
