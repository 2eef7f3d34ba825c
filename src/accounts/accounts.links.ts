import type { Db } from "../db/database.ts";
import type { AccountLinkPurpose } from "../db/schema.ts";
import { validationFailed } from "../core/errors.ts";
import { randomToken, sha256 } from "../lib/crypto.ts";
import { sign, signingSecret, verifySignature } from "../lib/signing.ts";

/**
 * The single-use links accounts send by email: `<secret>.<signature>`. The signature binds the
 * secret to its purpose (a verification link is no reset link) and refuses forged values without a
 * query; the database keeps only the secret's hash, its expiry and when it was used.
 */

/** How long each kind of link works: a password reset within the hour, as the issue asks. */
export const LINK_LIFETIME_MS: Record<AccountLinkPurpose, number> = {
  password_reset: 3600_000,
  verify_email: 7 * 24 * 3600_000,
  change_email: 24 * 3600_000,
};

const signed = (purpose: AccountLinkPurpose) => `account-link:${purpose}`;

/** Creates a link's token; earlier unused links of the same purpose stop working. */
export async function issueLink(
  db: Db,
  now: number,
  link: { userId: number; purpose: AccountLinkPurpose; email?: string },
): Promise<string> {
  await db
    .updateTable("accountLinks")
    .set({ usedAt: now })
    .where("userId", "=", link.userId)
    .where("purpose", "=", link.purpose)
    .where("usedAt", "is", null)
    .execute();
  const secret = randomToken(24);
  await db
    .insertInto("accountLinks")
    .values({
      userId: link.userId,
      purpose: link.purpose,
      secretHash: sha256(secret),
      email: link.email ?? null,
      createdAt: now,
      expiresAt: now + LINK_LIFETIME_MS[link.purpose],
      usedAt: null,
    })
    .execute();
  return `${secret}.${sign(await signingSecret(db), signed(link.purpose), secret)}`;
}

/**
 * Every unused link of the account stops working: after a new password (a link sent before may sit
 * in a mailbox the owner no longer trusts) and after a move to another address (the old one's
 * links must not take the account back).
 */
export async function voidOpenLinks(db: Db, userId: number, now: number): Promise<void> {
  await db
    .updateTable("accountLinks")
    .set({ usedAt: now })
    .where("userId", "=", userId)
    .where("usedAt", "is", null)
    .execute();
}

/** The link's secret when its signature holds for this purpose, else null (no query spent on a forgery). */
async function signedSecret(db: Db, purpose: AccountLinkPurpose, token: string): Promise<string | null> {
  const [secret, signature, extra] = token.split(".");
  if (!secret || !signature || extra !== undefined) return null;
  return verifySignature(await signingSecret(db), signed(purpose), secret, signature) ? secret : null;
}

/** What a link that cannot be used says, whatever the reason. */
export const LINK_UNUSABLE = "This link is invalid, expired or already used.";

/**
 * Uses a link: valid, unexpired and unused, it is marked used (once, even under concurrency) and its
 * row returned. Anything else is the same 422 on `fields.token`.
 */
export async function consumeLink(db: Db, now: number, purpose: AccountLinkPurpose, token: string) {
  const secret = await signedSecret(db, purpose, token);
  const link = secret
    ? await db
        .updateTable("accountLinks")
        .set({ usedAt: now })
        .where("secretHash", "=", sha256(secret))
        .where("purpose", "=", purpose)
        .where("usedAt", "is", null)
        .where("expiresAt", ">", now)
        .returning(["userId", "email"])
        .executeTakeFirst()
    : undefined;
  if (!link) throw validationFailed({ token: LINK_UNUSABLE });
  return link;
}

/** The account of a link that would still work, without using it; undefined when it would not. */
export async function linkOwner(
  db: Db,
  now: number,
  purpose: AccountLinkPurpose,
  token: string,
): Promise<number | undefined> {
  const secret = await signedSecret(db, purpose, token);
  if (!secret) return undefined;
  const row = await db
    .selectFrom("accountLinks")
    .select("userId")
    .where("secretHash", "=", sha256(secret))
    .where("purpose", "=", purpose)
    .where("usedAt", "is", null)
    .where("expiresAt", ">", now)
    .executeTakeFirst();
  return row?.userId;
}

/** Whether a link would still work, without using it (the page that asks for the new password). */
export async function linkIsUsable(db: Db, now: number, purpose: AccountLinkPurpose, token: string): Promise<boolean> {
  return (await linkOwner(db, now, purpose, token)) !== undefined;
}
