import type { Deps } from "../core/deps.ts";
import type { OidcProviderConfig } from "../core/config.ts";
import { LIMITS } from "../core/config.ts";
import { toOneLine } from "../lib/one-line.ts";
import { transaction } from "../core/transaction.ts";
import { isLocale } from "../i18n/i18n.ts";
import { claimWithProvenEmail, createPasswordlessUser, email as emailSchema } from "../accounts/index.ts";
import { AppError } from "../core/errors.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { SsoFailure, type Claims } from "./sso.client.ts";

/** The display name a new account takes from the provider: its name, else the email's local part. */
function nameFrom(claims: Claims, email: string): string {
  const candidates = [claims.name, claims.preferred_username, email.split("@")[0]].map((c) =>
    typeof c === "string" ? toOneLine(c) : "",
  );
  return candidates.find((c) => c !== "")!.slice(0, LIMITS.nameMax);
}

/** "de-CH" and "de" both mean German; a language we do not have is none. */
function localeFrom(claims: Claims): string | null {
  const language = typeof claims.locale === "string" ? claims.locale.slice(0, 2).toLowerCase() : "";
  return isLocale(language) ? language : null;
}

/**
 * The account a provider's login belongs to: the one already linked to this identity; else the
 * account with the same email, linked now only when the provider says it verified the address;
 * else a new account. The claims are kept on the identity for the communities' requirements.
 */
export async function accountForLogin(deps: Deps, provider: OidcProviderConfig, claims: Claims): Promise<number> {
  const claimed = typeof claims.email === "string" && claims.email.trim() !== "" ? claims.email : null;
  // The address an account would take: what signing up accepts (one that can receive email), else none.
  const parsed = claimed === null ? null : emailSchema.safeParse(claimed);
  const email = parsed?.success ? parsed.data : null;
  const snapshot = { email, claims: JSON.stringify(claims), lastLoginAt: deps.clock.now() };
  const identity = { provider: provider.name, subject: claims.sub };
  const refreshLinked = async () => {
    const linked = await deps.db
      .updateTable("userIdentities")
      .set(snapshot)
      .where("provider", "=", identity.provider)
      .where("subject", "=", identity.subject)
      .returning("userId")
      .executeTakeFirst();
    return linked?.userId;
  };

  const linked = await refreshLinked();
  if (linked !== undefined) return linked;
  if (!parsed) throw new SsoFailure("email_missing", "The provider gave no email address.");
  if (!email) throw new SsoFailure("email_invalid", "The provider's email is not an address that can receive email.");
  // Anyone can claim any address at a provider that does not verify it: such a login neither takes
  // an account over nor creates one.
  if (claims.email_verified !== true) {
    throw new SsoFailure("email_unverified", "The provider has not verified the email.");
  }
  const link = () => linkOrCreate(deps, { ...identity, ...snapshot, email }, claims);
  try {
    return await link();
  } catch (error) {
    const race = isUniqueViolation(error) || (error instanceof AppError && error.code === "conflict");
    if (!race) throw error;
  }
  // Two first logins of the same person raced: the other one created the account or linked the identity.
  return (await refreshLinked()) ?? link();
}

/**
 * In one transaction: the account with this email, or a new one, and the identity linked to it.
 * The provider verified the address, so the account's address counts as verified too. An account
 * already linked to another identity at this provider is not linked again by its address: the
 * provider gave that address to someone else since (a reused address), who must not take it over.
 */
async function linkOrCreate(
  deps: Deps,
  identity: { provider: string; subject: string; email: string; claims: string; lastLoginAt: number },
  claims: Claims,
): Promise<number> {
  const { email } = identity;
  return transaction(deps, async (tx) => {
    const existing = await tx.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
    if (existing) {
      const other = await tx.db
        .selectFrom("userIdentities")
        .select("subject")
        .where("userId", "=", existing.id)
        .where("provider", "=", identity.provider)
        .where("subject", "!=", identity.subject)
        .executeTakeFirst();
      if (other) throw new SsoFailure("email_linked", "The account is linked to another identity at this provider.");
    }
    const account = { email, name: nameFrom(claims, email), locale: localeFrom(claims) };
    const userId = existing?.id ?? (await createPasswordlessUser({ db: tx.db, clock: deps.clock }, account)).id;
    await claimWithProvenEmail(tx.db, userId, identity.lastLoginAt);
    await tx.db
      .insertInto("userIdentities")
      .values({ ...identity, userId, createdAt: identity.lastLoginAt })
      .execute();
    return userId;
  });
}
