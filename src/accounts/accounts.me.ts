import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { User } from "../db/schema.ts";
import { AppError, conflict, fieldRefused, forbidden, notFound, validationFailed } from "../core/errors.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { hashPassword, verifyPassword } from "../lib/crypto.ts";
import { clearFailures, emailLimitKey, hitRateLimit, recordFailure, takeAttempt } from "../lib/rate-limit.ts";
import { transaction } from "../core/transaction.ts";
import { lockRows } from "../db/row-locks.ts";
import { LOGIN_LOCKOUT, getUser } from "./accounts.service.ts";
import {
  type ChangeEmailInput,
  type ChangePasswordInput,
  type UpdateMeInput,
  currentPassword,
} from "./accounts.schema.ts";
import { LINK_UNUSABLE, consumeLink, issueLink, linkOwner, voidOpenLinks } from "./accounts.links.ts";
import { EMAILS_PER_ADDRESS, sendAccountEmail } from "./accounts.mail.ts";
import { endSessionsAndTokens, liveSession } from "./accounts.sessions.ts";
import { isHandleTaken } from "./accounts.handles.ts";

/** The signed-in member changing their own account: name, language, password, email. */

async function liveUser(deps: Deps, userId: number): Promise<User> {
  const user = await getUser(deps, userId);
  if (!user || user.deletedAt !== null) throw notFound("Account");
  return user;
}

/**
 * Checks the member's current password before a sensitive change: a wrong one is 403, and
 * repeated failures lock these changes like logins (a stolen session cannot guess the password).
 */
export async function confirmPassword(deps: Deps, userId: number, password: string): Promise<User> {
  const user = await liveUser(deps, userId);
  const key = `password-failures:${userId}`;
  const now = deps.clock.now();
  await takeAttempt(deps.db, key, LOGIN_LOCKOUT, now, "Too many wrong passwords; try again later.");
  if (!(await verifyPassword(password, user.passwordHash))) {
    await recordFailure(deps.db, key, now);
    throw forbidden("The password is not correct.");
  }
  await clearFailures(deps.db, key);
  return user;
}

/** How long after signing in an account without a password may change its email or delete itself. */
export const RECENT_SIGN_IN_MINUTES = 10;
const RECENT_SIGN_IN_MS = RECENT_SIGN_IN_MINUTES * 60_000;

/** Whether the account has a password of its own (one created by single sign-on has none). */
export const hasPassword = (user: Pick<User, "passwordHash">) => user.passwordHash.startsWith("scrypt$");

/** Asked of an account without a password whose sign-in is not recent (or that calls with an API token). */
const signInAgain = () =>
  new AppError(
    "forbidden",
    `Sign in again to confirm: a sign-in within the last ${RECENT_SIGN_IN_MINUTES} minutes is needed.`,
    {},
    { key: "me.reauth.required", params: { minutes: RECENT_SIGN_IN_MINUTES } },
  );

/**
 * Whether the session `session` of the account began within the last minutes. Sessions do not record
 * how they began, but an account without a password only ever has sessions its provider began: a
 * login checks a password (it has none), signing up sets one, a password reset sets one, and the
 * single sign-on claim that takes a password away ends every session (claimWithProvenEmail).
 */
export async function recentSignIn(deps: Deps, userId: number, session: string | undefined): Promise<boolean> {
  if (session === undefined) return false;
  const now = deps.clock.now();
  const row = await liveSession(deps.db, userId, session, now);
  return row !== undefined && now - Number(row.createdAt) <= RECENT_SIGN_IN_MS;
}

/**
 * Confirms a sensitive change (email, deletion). An account with a password gives it (confirmPassword,
 * unchanged; missing, it is refused as the schema refused it before the field became optional). An
 * account without one (single sign-on only) has nothing to type that a stolen session would not know:
 * it must have signed in again recently, in the request's own session (not with an API token), or it
 * is told to sign in again (403).
 */
export async function confirmMember(
  deps: Deps,
  userId: number,
  proof: { password?: string; session?: string },
): Promise<User> {
  const user = await liveUser(deps, userId);
  if (hasPassword(user)) {
    const given = currentPassword.safeParse(proof.password);
    if (!given.success) throw validationFailed({ password: given.error.issues[0].message });
    return confirmPassword(deps, userId, given.data);
  }
  if (!(await recentSignIn(deps, userId, proof.session))) throw signInAgain();
  return user;
}

const handleTaken = () =>
  new AppError(
    "conflict",
    "Another account has this handle.",
    { handle: "Another account has this handle." },
    { key: "me.handle.taken" },
  );

/** Name, language and handle; a new display name keeps the handle (mentions stay with the account). */
export async function updateMe(deps: Deps, userId: number, input: UpdateMeInput): Promise<User> {
  const user = await liveUser(deps, userId);
  const changes = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.language !== undefined ? { locale: input.language } : {}),
    ...(input.handle !== undefined && input.handle !== user.handle ? { handle: input.handle } : {}),
  };
  if (Object.keys(changes).length > 0) {
    try {
      await deps.db.updateTable("users").set(changes).where("id", "=", userId).execute();
    } catch (error) {
      if (isHandleTaken(error)) throw handleTaken();
      throw error;
    }
  }
  return liveUser(deps, userId);
}

/** A new password: other sessions end (the current one, if any, stays) and every API token is revoked. */
export async function changePassword(
  deps: Deps,
  userId: number,
  input: ChangePasswordInput,
  currentSession?: string,
): Promise<void> {
  await confirmPassword(deps, userId, input.currentPassword);
  const passwordHash = await hashPassword(input.password);
  await transaction(deps, async (tx) => {
    await tx.db.updateTable("users").set({ passwordHash }).where("id", "=", userId).execute();
    await endSessionsAndTokens(tx.db, userId, currentSession);
    await voidOpenLinks(tx.db, userId, deps.clock.now());
  });
}

async function emailTaken(db: Db, email: string, exceptUserId: number): Promise<boolean> {
  const row = await db
    .selectFrom("users")
    .select("id")
    .where("email", "=", email)
    .where("id", "!=", exceptUserId)
    .executeTakeFirst();
  return row !== undefined;
}

const TAKEN = "An account with this email already exists.";

/**
 * Asks to move the account to a new address: a link goes to the new address (the change happens
 * when it is opened), and the old address is told, so a hijacked session cannot move it silently.
 * The password confirms it, or for an account without one a recent sign-in in `session` (confirmMember).
 */
export async function requestEmailChange(
  deps: Deps,
  userId: number,
  input: ChangeEmailInput,
  session?: string,
): Promise<void> {
  const user = await confirmMember(deps, userId, { password: input.password, session });
  if (input.email === user.email) throw fieldRefused("email", "This is already your email address.", "me.email.same");
  if (await emailTaken(deps.db, input.email, userId)) throw conflict(TAKEN);
  // Neither the new address nor the old one (told of each request) can be flooded from an account.
  const now = deps.clock.now();
  await hitRateLimit(deps.db, `change-mail:${userId}`, EMAILS_PER_ADDRESS, now);
  await hitRateLimit(deps.db, await emailLimitKey(deps.db, "change-mail-to", input.email), EMAILS_PER_ADDRESS, now);
  const token = await issueLink(deps.db, now, { userId, purpose: "change_email", email: input.email });
  const link = `/verify-email/${encodeURIComponent(token)}`;
  await sendAccountEmail(deps, "change_email", { userId, address: input.email, locale: user.locale }, { link });
  await sendAccountEmail(
    deps,
    "email_changing",
    { userId, address: user.email, locale: user.locale },
    { newEmail: input.email },
  );
}

/** The address of an email-change link belongs to another account by now: the link stays usable. */
const addressTaken = () => new AppError("conflict", TAKEN, { email: TAKEN }, { key: "verify.taken" });

/**
 * Moves the account to the address of its email-change link, in one transaction: the link is spent
 * only when the move succeeds, so an address another account holds (checked here, and by the unique
 * index when both confirm at once) is a 409 that leaves the link usable once the address is free.
 */
async function moveToNewAddress(deps: Deps, token: string, now: number) {
  try {
    return await transaction(deps, async (tx) => {
      // The account's row before its link, in the order a deletion takes them (the other order deadlocks).
      const owner = await linkOwner(tx.db, now, "change_email", token);
      if (owner !== undefined) await lockRows(tx, "users", [owner]);
      // A link is one kind or the other: its signature tells which (a refusal here is no error yet).
      const change = await consumeLink(tx.db, now, "change_email", token).catch((error: unknown) => {
        if (error instanceof AppError && error.code === "validation_failed") return null;
        throw error;
      });
      if (!change?.email) return null;
      const email = change.email;
      if (await emailTaken(tx.db, email, change.userId)) throw addressTaken();
      // An account deleted since the link was taken keeps its placeholder: the address stays free.
      const moved = await tx.db
        .updateTable("users")
        .set({ email, emailVerifiedAt: now })
        .where("id", "=", change.userId)
        .where("deletedAt", "is", null)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 0) throw validationFailed({ token: LINK_UNUSABLE });
      await voidOpenLinks(tx.db, change.userId, now);
      return { userId: change.userId, email };
    });
  } catch (error) {
    // Another account took the address between the check and the update.
    if (isUniqueViolation(error)) throw addressTaken();
    throw error;
  }
}

/**
 * Opens a link of a verification or email-change email: the address is verified, or the account
 * moves to the new one (unless another account has it: 409, and the link still works).
 */
export async function confirmEmail(deps: Deps, token: string): Promise<{ userId: number; email: string }> {
  const now = deps.clock.now();
  const moved = await moveToNewAddress(deps, token, now);
  if (moved) return moved;
  const link = await consumeLink(deps.db, now, "verify_email", token);
  const user = await deps.db
    .updateTable("users")
    .set({ emailVerifiedAt: now })
    .where("id", "=", link.userId)
    .returning(["id", "email"])
    .executeTakeFirstOrThrow();
  return { userId: user.id, email: user.email };
}
