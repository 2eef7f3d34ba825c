import { z } from "zod";
import { LIMITS } from "../core/config.ts";
import { LOCALES } from "../i18n/i18n.ts";
import { TOKEN_SCOPES } from "../db/schema.ts";
import { isCommonPassword } from "./common-passwords.ts";

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: "Enter a valid email address." }));

export const signupBody = z.object({
  /** Email address used to log in; unique per installation. */
  email,
  /** At least 8 characters, and not one of the most common passwords. */
  password: z
    .string()
    .min(LIMITS.passwordMin, `Use at least ${LIMITS.passwordMin} characters.`)
    .max(LIMITS.passwordMax)
    .refine((password) => !isCommonPassword(password), "This password is among the most common ones; choose another."),
  /** Display name shown next to posts. */
  name: z.string().trim().min(1, "Enter a name.").max(LIMITS.nameMax),
  /** Preferred interface language. */
  locale: z.enum(LOCALES).optional(),
});

export const loginBody = z.object({
  email,
  password: z.string().min(1, "Enter your password.").max(LIMITS.passwordMax),
});

export const tokenBody = z.object({
  /** A label to recognise the token by, e.g. "import script". */
  name: z.string().trim().min(1, "Enter a name.").max(LIMITS.nameMax),
  /** read: GET only; write: also create and change as a member; admin: also staff, moderator and admin actions. */
  scope: z.enum(TOKEN_SCOPES, { message: `Choose one of: ${TOKEN_SCOPES.join(", ")}.` }).default("write"),
  /** When the token stops working (ISO date and time, in the future); absent or null: never. */
  expiresAt: z.iso
    .datetime({ offset: true, message: "Use an ISO date and time, e.g. 2026-03-02T14:00:00+01:00." })
    .nullable()
    .default(null),
});

export type TokenInput = z.infer<typeof tokenBody>;
export type SignupInput = z.infer<typeof signupBody>;
export type LoginInput = z.infer<typeof loginBody>;
