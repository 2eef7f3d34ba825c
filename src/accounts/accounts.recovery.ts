import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import { defineJob, enqueue } from "../jobs/jobs.ts";
import { AppError, validationFailed } from "../core/errors.ts";
import { hashPassword, randomToken } from "../lib/crypto.ts";
import { clearFailures, clientNetwork, emailLimitKey, hitRateLimit } from "../lib/rate-limit.ts";
import { transaction } from "../core/transaction.ts";
import { lockRows } from "../db/row-locks.ts";
import { LINK_UNUSABLE, consumeLink, issueLink, linkOwner, voidOpenLinks } from "./accounts.links.ts";
import { EMAILS_PER_ADDRESS, sendAccountEmail } from "./accounts.mail.ts";
import { endSessionsAndTokens } from "./accounts.sessions.ts";

/** A forgotten password: a single-use link by email that expires within the hour. */

/**
 * Asks for a reset link. The caller answers the same whether or not the address has an account;
 * past the per-IP limit it is 429 for every address alike.
 *
 * Timing: before answering, every request that passes the per-IP limit does exactly the same work,
 * one counter upsert and one job insert, so how long the answer takes does not tell whether an
 * account has the address. Everything that depends on it (the lookup, the per-address limit, the
 * link, the email) happens later in `passwordResetRequestJob`. The worker is not woken for it: it
 * finds the job at its next poll, so its work does not run alongside the answer either.
 */
export async function requestPasswordReset(deps: Deps, input: { email: string; ip: string }): Promise<void> {
  const now = deps.clock.now();
  await hitRateLimit(deps.db, `password-reset:${clientNetwork(input.ip)}`, deps.config.rateLimits.passwordReset, now);
  await enqueue(deps, passwordResetRequestJob, { email: input.email, request: randomToken(12) });
}

/**
 * Sends the reset link when the address has an account, at most EMAILS_PER_ADDRESS an hour
 * (counted when sent, so a flood of requests sends no more than that); an unknown address does
 * nothing. Idempotent: the counter, the link and the queued email commit together with a mark of
 * this request (`request`), so a rerun after a crash finds the mark and sends nothing more.
 */
export const passwordResetRequestJob = defineJob<{ email: string; request: string }>({
  name: "accounts.passwordResetRequest",
  // The typed address, an account's or not, is not kept once the request is dealt with.
  forgetPayload: true,
  async run(deps, { email, request }) {
    const found = await deps.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", email)
      .where("deletedAt", "is", null)
      .executeTakeFirst();
    if (!found) return;
    await transaction(deps, async (tx) => {
      // The account's row first, in the order a deletion takes it and its links.
      await lockRows(tx, "users", [found.id]);
      const user = await tx.db
        .selectFrom("users")
        .select(["id", "email", "locale"])
        .where("id", "=", found.id)
        .where("deletedAt", "is", null)
        .executeTakeFirst();
      if (!user) return;
      const now = deps.clock.now();
      if (!(await once(tx.db, `password-reset-sent:${request}`, now))) return;
      if (!(await withinLimit(tx.db, `password-reset-mail:${user.id}`, now))) return;
      const token = await issueLink(tx.db, now, { userId: user.id, purpose: "password_reset" });
      await sendAccountEmail(
        { ...deps, db: tx.db },
        "password_reset",
        { userId: user.id, address: user.email, locale: user.locale },
        { link: `/password-reset/${encodeURIComponent(token)}` },
      );
    });
  },
});

/**
 * Marks `key` done; false when it already was. The mark commits or rolls back with the caller's
 * transaction, and stays a day (old rate-limit rows are removed after that), longer than any rerun.
 */
async function once(db: Db, key: string, now: number): Promise<boolean> {
  const marked = await db
    .insertInto("rateLimits")
    .values({ key, windowStart: now, count: 1 })
    .onConflict((oc) => oc.column("key").doNothing())
    .returning("key")
    .executeTakeFirst();
  return marked !== undefined;
}

/** Counts one email against the address's hourly limit; false past it. */
async function withinLimit(db: Db, key: string, now: number): Promise<boolean> {
  try {
    await hitRateLimit(db, key, EMAILS_PER_ADDRESS, now);
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === "rate_limited") return false;
    throw error;
  }
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
