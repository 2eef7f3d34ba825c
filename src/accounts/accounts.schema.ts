import { z } from "zod";
import { LIMITS } from "../core/config.ts";
import { LOCALES } from "../i18n/i18n.ts";
import { TOKEN_SCOPES } from "../db/schema.ts";
import { isCommonPassword } from "./common-passwords.ts";
import { HANDLE_MAX, HANDLE_MIN, HANDLE_PATTERN } from "../lib/handles.ts";
import { ONE_LINE } from "../lib/one-line.ts";

/**
 * Whether an address is under the reserved top-level domain .invalid (RFC 2606), which reaches
 * nobody: deleted accounts' placeholders live there, so no account may take one.
 */
export const isReservedEmail = (address: string) => address.toLowerCase().endsWith(".invalid");

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: "Enter a valid email address." }))
  .refine((address) => !isReservedEmail(address), {
    message: "Enter an address that can receive email.",
    params: { messageKey: "account.emailUnreachable" },
  });

/** A password to set: at least 8 characters, and not one of the most common passwords. */
export const newPassword = z
  .string()
  .min(LIMITS.passwordMin, `Use at least ${LIMITS.passwordMin} characters.`)
  .max(LIMITS.passwordMax)
  .refine((password) => !isCommonPassword(password), {
    message: "This password is among the most common ones; choose another.",
    params: { messageKey: "account.passwordCommon" },
  });

/** The password the member has now, to confirm a sensitive change. */
export const currentPassword = z.string().min(1, "Enter your password.").max(LIMITS.passwordMax);

/** One line, like a title: names stand in email subjects and bylines. */
const displayName = z
  .string()
  .trim()
  .min(1, "Enter a name.")
  .max(LIMITS.nameMax)
  .refine(...ONE_LINE);

export const signupBody = z.object({
  /** Email address used to log in; unique per installation. */
  email,
  /** At least 8 characters, and not one of the most common passwords. */
  password: newPassword,
  /** Display name shown next to posts. */
  name: displayName,
  /** Preferred interface language. */
  locale: z.enum(LOCALES).optional(),
});

export const loginBody = z.object({
  email,
  password: currentPassword,
});

export const passwordResetBody = z.object({
  /** The account's email; the answer is the same whether or not it has an account. */
  email,
});

export const passwordResetConfirmBody = z.object({
  /** The token of the link from the reset email. */
  token: z.string().min(1, "This link is invalid, expired or already used.").max(200),
  /** The new password. */
  password: newPassword,
});

export const verifyEmailBody = z.object({
  /** The token of the link from a verification or email-change email. */
  token: z.string().min(1, "This link is invalid, expired or already used.").max(200),
});

/** A handle to choose (lib/handles.ts): stored lowercase, so "AliceM" is "alicem". */
export const handle = z
  .string()
  .trim()
  .toLowerCase()
  .min(HANDLE_MIN)
  .max(HANDLE_MAX)
  .regex(HANDLE_PATTERN, "Use a-z, 0-9, _ . and -, starting and ending with a letter, digit or _.");

export const updateMeBody = z.object({
  /** Display name shown next to posts; changing it keeps the handle. */
  name: displayName.optional(),
  /** The unique name @mentions use: 2-30 of a-z, 0-9, _ . - (409 when another account has it). */
  handle: handle.optional(),
  /** Interface language; it wins over the browser's. null: follow the browser again. */
  language: z.enum(LOCALES).nullable().optional(),
});

export const changePasswordBody = z.object({
  currentPassword,
  /** The new password; other sessions and all personal API tokens end. */
  password: newPassword,
});

export const changeEmailBody = z.object({
  /** The new address; it takes effect once the link sent to it is opened. */
  email,
  /**
   * The current password; required of an account that has one. An account without a password (single
   * sign-on only) confirms by a recent sign-in instead (accounts.me.ts, confirmMember).
   */
  password: currentPassword.optional(),
});

export const deleteAccountBody = z.object({
  /** The current password, to confirm; required of an account that has one. */
  password: currentPassword.optional(),
  /**
   * An account without a password (single sign-on only): its email address typed to confirm, with a
   * recent sign-in (accounts.me.ts, confirmMember).
   */
  email: z.string().trim().toLowerCase().max(254).optional(),
});

/** Session ids are derived strings (accounts.sessions.ts). */
export const sessionParams = z.object({ id: z.string().min(1).max(64) });

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
export type UpdateMeInput = z.infer<typeof updateMeBody>;
export type ChangePasswordInput = z.infer<typeof changePasswordBody>;
export type ChangeEmailInput = z.infer<typeof changeEmailBody>;
export type LoginInput = z.infer<typeof loginBody>;
