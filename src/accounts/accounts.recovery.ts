import type { Deps } from "../core/deps.ts";
import { AppError, validationFailed } from "../core/errors.ts";
import { hashPassword } from "../lib/crypto.ts";
import { clearFailures, clientNetwork, emailLimitKey, hitRateLimit } from "../lib/rate-limit.ts";
import { transaction } from "../core/transaction.ts";
import { lockRows } from "../db/row-locks.ts";
import { LINK_UNUSABLE, consumeLink, issueLink, linkOwner, voidOpenLinks } from "./accounts.links.ts";
import { EMAILS_PER_ADDRESS, sendAccountEmail } from "./accounts.mail.ts";
import { endSessionsAndTokens } from "./accounts.sessions.ts";

/** A forgotten password: a single-use link by email that expires within the hour. */

/**
 * Sends a reset link when the address has an account. The caller answers the same either way;
 * past the per-IP limit it is 429 for every address alike, past the per-address limit nothing more is sent.
 */
export async function requestPasswordReset(deps: Deps, input: { email: string; ip: string }): Promise<void> {
  const now = deps.clock.now();
  await hitRateLimit(deps.db, `password-reset:${clientNetwork(input.ip)}`, deps.config.rateLimits.passwordReset, now);
  const user = await deps.db
    .selectFrom("users")
    .select(["id", "email", "locale"])
    .where("email", "=", input.email)
    .where("deletedAt", "is", null)
    .executeTakeFirst();
  if (!user) return;
  try {
    await hitRateLimit(deps.db, `password-reset-mail:${user.id}`, EMAILS_PER_ADDRESS, now);
  } catch (error) {
    if (error instanceof AppError && error.code === "rate_limited") return;
    throw error;
  }
  const token = await issueLink(deps.db, now, { userId: user.id, purpose: "password_reset" });
  await sendAccountEmail(
    deps,
    "password_reset",
    { userId: user.id, address: user.email, locale: user.locale },
    { link: `/password-reset/${encodeURIComponent(token)}` },
  );
}

/**
 * Sets the new password from a reset link; every session and API token of the account ends. The
 * link proves the mailbox, so the address counts as verified, and the login lockout is lifted.
 */
export async function confirmPasswordReset(deps: Deps, input: { token: string; password: string }): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  const user = await transaction(deps, async (tx) => {
    // The account's row before its link, in the order a deletion takes them (the other order
    // deadlocks with it); a deletion that went first took the link with the account.
    const owner = await linkOwner(tx.db, now, "password_reset", input.token);
    if (owner !== undefined) await lockRows(tx, "users", [owner]);
    const link = await consumeLink(tx.db, now, "password_reset", input.token);
    const row = await tx.db
      .updateTable("users")
      .set((eb) => ({ passwordHash, emailVerifiedAt: eb.fn.coalesce("emailVerifiedAt", eb.val(now)) }))
      .where("id", "=", link.userId)
      .where("deletedAt", "is", null)
      .returning("email")
      .executeTakeFirst();
    if (!row) throw validationFailed({ token: LINK_UNUSABLE });
    await endSessionsAndTokens(tx.db, link.userId);
    await voidOpenLinks(tx.db, link.userId, now);
    return row;
  });
  await clearFailures(deps.db, await emailLimitKey(deps.db, "login-failures", user.email));
}
