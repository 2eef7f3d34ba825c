import { z } from "zod";
import { LOCALES } from "../i18n/i18n.ts";
import { recordId } from "../http/api.ts";
import { canonicalTimeZone, isTimeZone } from "../lib/zoned-time.ts";
import { ONE_LINE } from "../lib/one-line.ts";

/** Spaces and characters that show nothing (zero-width, fillers, the blank Braille pattern), which trim() keeps. */
const BLANK = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** A name that shows at least 2 characters: one of invisible characters only would be an empty link. */
const VISIBLE_NAME = [
  (value: string) => value.replace(BLANK, "").length >= 2,
  { message: "Use at least 2 characters.", params: { messageKey: "form.tooShort", messageParams: { min: 2 } } },
] as const;

export const ROLES = ["member", "staff", "moderator", "admin"] as const;
export const slug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "Use 1-40 lowercase letters, digits and dashes.");

export const createCommunityBody = z.object({
  /** URL name, e.g. "acme" for /c/acme. */
  slug,
  /** One line: it heads the community's pages, feeds and page titles. */
  name: z
    .string()
    .trim()
    .min(2, "Use at least 2 characters.")
    .max(80)
    .refine(...ONE_LINE)
    .refine(...VISIBLE_NAME),
  /** public: anyone can read; private: members only. */
  visibility: z.enum(["public", "private"]).default("public"),
  description: z.string().trim().max(500).default(""),
  /** Language of the community's content. */
  locale: z.enum(LOCALES).default("en"),
});

/** What a community admin changes about the community itself; every field optional, at least one. */
export const updateCommunityBody = z
  .object({
    name: createCommunityBody.shape.name.optional(),
    description: z.string().trim().max(500).optional(),
    /** Making a community private hides it and its topics from everyone but its members at once. */
    visibility: z.enum(["public", "private"]).optional(),
    locale: z.enum(LOCALES).optional(),
    /** IANA name, e.g. "Europe/Zurich": the zone of every time shown on its pages, notifications and emails. */
    timeZone: z
      .string()
      .trim()
      .refine(isTimeZone, { message: "Unknown time zone.", params: { messageKey: "form.timeZone" } })
      .transform(canonicalTimeZone)
      .optional(),
  })
  .refine((v) => Object.values(v).some((value) => value !== undefined), {
    message: "Nothing to change.",
    params: { messageKey: "form.nothingToChange" },
  });

export const setRoleParams = z.object({
  slug: z.string().min(1).max(64),
  userId: recordId("Unknown user."),
});
export const setRoleBody = z.object({ role: z.enum(ROLES) });

/** Members a page of the member list shows unless asked for another number, and at most. */
export const MEMBERS_LIMIT_DEFAULT = 50;
export const MEMBERS_LIMIT_MAX = 200;

/** A page of the member list (in name order). */
export const membersQuery = z.object({
  /** At most this many members. */
  limit: z.coerce.number().int().min(1).max(MEMBERS_LIMIT_MAX).default(MEMBERS_LIMIT_DEFAULT),
  /** Skips this many members: the next page is at `offset` + `limit`. */
  offset: z.coerce.number().int().min(0).default(0),
});

/**
 * Who answers in a category: crowd (members, staff may join), staff_only (members cannot reply), private (only the
 * asker and staff see its topics).
 */
export const SCOPES = ["crowd", "staff_only", "private"] as const;
/** SLA deadlines in minutes, up to 90 days; null switches the timer off. */
const deadline = z
  .number()
  .int()
  .min(1, "Use at least 1 minute.")
  .max(90 * 24 * 60, "Use at most 90 days.")
  .nullable();

/** What a community admin sets per category: scope, expectation and SLA deadlines. */
export const categorySettings = z.object({
  scope: z.enum(SCOPES, { message: `Choose one of: ${SCOPES.join(", ")}.` }).optional(),
  /** Shown on the new-topic form and on the topic, e.g. "The community usually answers within 4 hours". */
  expectation: z.string().trim().max(300).optional(),
  /** No reply this many minutes after posting escalates the topic to staff. */
  firstResponseMinutes: deadline.optional(),
  /** Replies but no accepted solution this many minutes after posting escalates the topic (the second deadline). */
  resolutionMinutes: deadline.optional(),
});

export const createCategoryBody = z.object({
  /** One line: it names the category in lists, menus, feeds and page titles. */
  name: z
    .string()
    .trim()
    .min(2, "Use at least 2 characters.")
    .max(60)
    .refine(...ONE_LINE)
    .refine(...VISIBLE_NAME),
  slug: slug.optional(),
  description: z.string().trim().max(500).default(""),
  position: z.number().int().min(0).max(1000).optional(),
  ...categorySettings.shape,
});

export const categoryParams = z.object({
  slug: z.string().min(1).max(64),
  categoryId: recordId("Unknown category."),
});
export const updateCategoryBody = categorySettings
  .extend({ name: createCategoryBody.shape.name.optional(), description: z.string().trim().max(500).optional() })
  .refine((v) => Object.values(v).some((value) => value !== undefined), {
    message: "Nothing to change.",
    params: { messageKey: "form.nothingToChange" },
  });

export type CreateCommunityInput = z.infer<typeof createCommunityBody>;
export type CreateCategoryInput = z.infer<typeof createCategoryBody>;
export type UpdateCommunityInput = z.infer<typeof updateCommunityBody>;
export type UpdateCategoryInput = z.infer<typeof updateCategoryBody>;
export type MembersQuery = z.infer<typeof membersQuery>;
