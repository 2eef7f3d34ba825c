import { z } from "zod";
import { LIMITS } from "../config.ts";
import { LOCALES } from "../i18n/i18n.ts";

export const ROLES = ["member", "staff", "moderator", "admin"] as const;
export const slug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "Use 1-40 lowercase letters, digits and dashes.");

export const createCommunityBody = z.object({
  /** URL name, e.g. "acme" for /c/acme. */
  slug,
  name: z.string().trim().min(2, "Use at least 2 characters.").max(80),
  /** public: anyone can read; private: members only. */
  visibility: z.enum(["public", "private"]).default("public"),
  description: z.string().trim().max(500).default(""),
  /** Language of the community's content. */
  locale: z.enum(LOCALES).default("en"),
});

export const setRoleParams = z.object({
  slug: z.string().min(1).max(64),
  userId: z.coerce.number().int().positive("Unknown user.").max(LIMITS.idMax, "Unknown user."),
});
export const setRoleBody = z.object({ role: z.enum(ROLES) });

export const createCategoryBody = z.object({
  name: z.string().trim().min(2, "Use at least 2 characters.").max(60),
  slug: slug.optional(),
  description: z.string().trim().max(500).default(""),
  position: z.number().int().min(0).max(1000).optional(),
});

export type CreateCommunityInput = z.infer<typeof createCommunityBody>;
export type CreateCategoryInput = z.infer<typeof createCategoryBody>;
