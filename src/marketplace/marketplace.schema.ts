import { z } from "zod";
import { LIMITS } from "../core/config.ts";
import { idParams, recordId, slugParams } from "../http/api.ts";
import { canonicalTimeZone, isTimeZone } from "../lib/zoned-time.ts";

/** Limits shared by the forms and the API. */
export const MARKET_LIMITS = {
  /**
   * Largest photo accepted, before it is re-encoded (the API's application route takes a body big enough for it in
   * base64).
   */
  photoBytes: 5 * 1024 * 1024,
  nameMax: 120,
  bioMax: 1_000,
  textMax: 2_000,
  messageMax: 2_000,
  reasonMax: 500,
  /** Shortest description of a reported problem (at most textMax). */
  problemDetailsMin: 10,
  priceMax: 100_000,
  radiusMaxKm: 200,
  postalCodesMax: 50,
  slotsMax: 21,
  /** Longest booking or dispatch window. */
  durationMaxHours: 12,
  /**
   * How far ahead a visit may be booked, proposed or dispatched (from now, by the server's clock).
   * The slot picker lists only the next SLOT_DAYS; a time typed by hand may go this far.
   */
  bookAheadDays: 365,
} as const;

const id = z.number().int().positive().max(LIMITS.idMax);
export const text = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min, min > 1 ? `Use at least ${min} characters.` : "Write something.")
    .max(max, `Use at most ${max} characters.`);
export const postalCode = z
  .string()
  .trim()
  .regex(/^[0-9]{4,5}$/, "Use a postal code of 4 or 5 digits.");
const phone = z
  .string()
  .trim()
  .min(1, "Give a phone number.")
  .regex(/^\+?[0-9 ()/.-]{6,24}$/, "Use a phone number of digits, spaces and + ( ) - / .");
const toCents = (amount: number) => Math.round(amount * 100);
/** Money in the community's currency, e.g. 49.5; stored in cents. */
export const price = z
  .number({ message: "Give a price." })
  .positive("The price must be more than zero.")
  // "Two decimals" tolerates float noise, so a tiny positive amount would round to 0 cents.
  .refine((n) => toCents(n) >= 1, {
    message: "The price must be more than zero.",
    params: { messageKey: "form.numberMin", messageParams: { min: 0.01 } },
  })
  .max(MARKET_LIMITS.priceMax)
  .refine((n) => Math.abs(toCents(n) - n * 100) < 1e-6, {
    message: "Use at most two decimals.",
    params: { messageKey: "form.twoDecimals" },
  })
  .transform(toCents);
const instant = z.iso
  .datetime({ offset: true, message: "Use an ISO date and time, e.g. 2026-03-02T14:00:00+01:00." })
  .transform((s) => Date.parse(s));
/** An IANA time zone name this server knows, e.g. "Europe/Zurich" (any spelling Intl reads, "Etc/UTC" too). */
export { isTimeZone };
const clockTime = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/, "Use HH:MM.");

export const photoInput = z.object({
  /** The image file, base64-encoded (JPEG, PNG or WebP); re-encoded and resized on the server. */
  data: z
    .string()
    .max(Math.ceil((MARKET_LIMITS.photoBytes * 4) / 3) + 4, "The photo is too large.")
    .regex(/^[A-Za-z0-9+/=\s]+$/, "Send the photo as base64."),
});

export const applicationBody = z.object({
  realName: text(MARKET_LIMITS.nameMax, 3),
  postalCode,
  phone,
  bio: text(MARKET_LIMITS.bioMax, 20),
  /** Must be true: the applicant accepts the community's code of conduct. */
  acceptConduct: z.literal(true, { message: "Accept the code of conduct." }),
  photo: photoInput,
});

export const DECISIONS = ["approve", "reject", "changes", "suspend"] as const;
export const decisionBody = z
  .object({
    /** approve, reject, changes (ask for changes), or suspend an approved helper. */
    decision: z.enum(DECISIONS, { message: `Choose one of: ${DECISIONS.join(", ")}.` }),
    /** Required for reject, changes and suspend; sent to the applicant. */
    reason: z.string().trim().max(MARKET_LIMITS.reasonMax).default(""),
  })
  .refine((d) => d.decision === "approve" || d.reason.length >= 3, {
    message: "Give a reason.",
    path: ["reason"],
    params: { messageKey: "form.reasonRequired" },
  });

export const listApplicationsQuery = z.object({
  status: z.enum(["pending", "changes_requested", "rejected", "approved", "suspended"]).default("pending"),
});

export const serviceBody = z.object({
  name: text(80, 2),
  description: z.string().trim().max(MARKET_LIMITS.textMax).default(""),
  /** Recommended maximum price; offers above it are refused. */
  maxPrice: price,
  /** Course whose certification a helper needs to offer this service. */
  requiredCourseId: id.nullable().default(null),
  /** Topics of this category show a "Book a service friend" link. */
  categoryId: id.nullable().default(null),
});

export const slot = z
  .object({ day: z.number().int().min(0).max(6), start: clockTime, end: clockTime })
  .refine((s) => s.start < s.end, {
    message: "The end must be after the start.",
    path: ["end"],
    params: { messageKey: "form.endAfterStart" },
  });

export const offerBody = z
  .object({
    serviceId: id,
    price,
    priceUnit: z.enum(["fixed", "hour"]),
    /** Postal codes served, and/or a place and radius. */
    postalCodes: z.array(postalCode).max(MARKET_LIMITS.postalCodesMax).default([]),
    place: z
      .object({ postalCode, radiusKm: z.number().int().min(1).max(MARKET_LIMITS.radiusMaxKm) })
      .nullable()
      .default(null),
    /** Weekly availability in the community's time zone; day 0 is Sunday. */
    availability: z.array(slot).min(1, "Give at least one time slot.").max(MARKET_LIMITS.slotsMax),
  })
  .refine((o) => o.postalCodes.length > 0 || o.place !== null, {
    message: "Give postal codes or a place and radius.",
    path: ["postalCodes"],
    params: { messageKey: "market.areaRequired" },
  });

export const SORTS = ["rating", "distance", "price"] as const;
export const searchOffersQuery = z.object({
  /** Service id. */
  service: recordId().optional(),
  postalCode: postalCode.optional(),
  /** A place name instead of a postal code, e.g. "Winterthur". */
  place: z.string().trim().min(2).max(60).optional(),
  sort: z.enum(SORTS).default("rating"),
});

const visit = {
  description: text(MARKET_LIMITS.textMax, 10),
  /** Shown to the helper once the booking is accepted. */
  address: text(300, 5),
  phone,
};

const window = <T extends { startsAt: number; endsAt: number }>(v: T) =>
  v.endsAt > v.startsAt && v.endsAt - v.startsAt <= MARKET_LIMITS.durationMaxHours * 3600_000;
const windowMessage = {
  message: `The end must be after the start, at most ${MARKET_LIMITS.durationMaxHours} hours later.`,
  path: ["endsAt"],
  params: { messageKey: "form.endWithin", messageParams: { hours: MARKET_LIMITS.durationMaxHours } },
};

export const bookingBody = z.object({ startsAt: instant, endsAt: instant, ...visit }).refine(window, windowMessage);

export const proposeBody = z.object({ startsAt: instant, endsAt: instant }).refine(window, windowMessage);

export const jobRequestBody = z
  .object({ serviceId: id, postalCode, startsAt: instant, endsAt: instant, ...visit })
  .refine(window, windowMessage);

export const reasonBody = z.object({ reason: text(MARKET_LIMITS.reasonMax, 3) });
export const optionalReasonBody = z.object({ reason: z.string().trim().max(MARKET_LIMITS.reasonMax).default("") });

export const completeBody = z.object({
  /** How the customer pays: cash to the helper, or an invoice. */
  method: z.enum(["cash", "invoice"]),
  /** Hours worked, for an hourly price; the booked duration unless given. */
  hours: z.number().min(0.25).max(MARKET_LIMITS.durationMaxHours).multipleOf(0.25).optional(),
});

export const messageBody = z.object({ body: text(MARKET_LIMITS.messageMax) });

export const reviewBody = z.object({
  rating: z.number().int("Give whole stars.").min(1, "Give 1 to 5 stars.").max(5, "Give 1 to 5 stars."),
  text: text(MARKET_LIMITS.textMax, 3),
});

export const PROBLEM_KINDS = ["no_show", "not_done", "payment", "other"] as const;
export const problemBody = z.object({
  /**
   * no_show: the other party did not come or was not there; not_done: the work was not (properly)
   * done; payment: a dispute about the payment; other. A completed booking takes all but no_show.
   */
  kind: z.enum(PROBLEM_KINDS, { message: `Choose one of: ${PROBLEM_KINDS.join(", ")}.` }),
  /** What happened, for staff and the other party. */
  details: text(MARKET_LIMITS.textMax, MARKET_LIMITS.problemDetailsMin),
});

export const PROBLEM_OUTCOMES = ["upheld", "dismissed"] as const;
export const resolveProblemBody = z.object({
  /** upheld: the report is right (a no-show marks the booking, a payment is voided); dismissed: nothing changes. */
  outcome: z.enum(PROBLEM_OUTCOMES, { message: `Choose one of: ${PROBLEM_OUTCOMES.join(", ")}.` }),
  /** Why, sent to both parties. */
  note: text(MARKET_LIMITS.reasonMax, 3),
});

export const problemsQuery = z.object({ status: z.enum(["open", "resolved"]).default("open") });

export const settingsBody = z.object({
  currency: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/, "Use a three-letter currency code.")
    .optional(),
  platformFeePercent: z.number().int().min(0).max(100).optional(),
  freeCancelHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 14)
    .optional(),
  timezone: z
    .string()
    .trim()
    .refine(isTimeZone, { message: "Unknown time zone.", params: { messageKey: "form.timeZone" } })
    // Stored by its canonical name, as the community and insights settings do ("utc" is "UTC").
    .transform(canonicalTimeZone)
    .optional(),
  helperCourseId: id.nullable().optional(),
  codeOfConduct: z.string().trim().max(LIMITS.bodyMax).optional(),
  dispatchBatch: z.number().int().min(1).max(20).optional(),
  dispatchWaitMinutes: z
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .optional(),
});

export const payoutQuery = z.object({
  /** Calendar month, YYYY-MM (UTC). */
  month: z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, "Use YYYY-MM."),
  /** The helper's user id. */
  helper: recordId(),
});

/** The path of one row in a community's marketplace: `/c/:slug/bookings/:id`, `/c/:slug/offers/:id`... */
export const itemParams = slugParams.extend({ id: idParams.shape.id });

export const helperParams = z.object({
  slug: z.string().min(1).max(64),
  userId: recordId(),
});

export type ApplicationInput = z.infer<typeof applicationBody>;
export type DecisionInput = z.infer<typeof decisionBody>;
export type ServiceInput = z.infer<typeof serviceBody>;
export type OfferInput = z.infer<typeof offerBody>;
export type Slot = z.infer<typeof slot>;
export type SearchOffersInput = z.infer<typeof searchOffersQuery>;
export type BookingInput = z.infer<typeof bookingBody>;
export type JobRequestInput = z.infer<typeof jobRequestBody>;
export type CompleteInput = z.infer<typeof completeBody>;
export type ReviewInput = z.infer<typeof reviewBody>;
export type SettingsInput = z.infer<typeof settingsBody>;
export type ProblemInput = z.infer<typeof problemBody>;
export type ResolveProblemInput = z.infer<typeof resolveProblemBody>;
