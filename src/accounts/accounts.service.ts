import type { Deps, Actor } from "../core/deps.ts";
import type { User } from "../db/schema.ts";
import { conflict, forbidden, notFound, unauthorized, validationFailed } from "../core/errors.ts";
import { hashPassword, randomToken, sha256, verifyPassword } from "../lib/crypto.ts";
import {
  clearFailures,
  clientNetwork,
  emailLimitKey,
  hitRateLimit,
  type Lockout,
  recordFailure,
  takeAttempt,
} from "../lib/rate-limit.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { preparedFirst } from "../db/prepared.ts";
import type { LoginInput, SignupInput, TokenInput } from "./accounts.schema.ts";
import { sendVerification } from "./accounts.mail.ts";
import { avatarUrl } from "../web/avatar.ts";
import { insertWithHandle } from "./accounts.handles.ts";
import { liveSession } from "./accounts.sessions.ts";
import { transaction } from "../core/transaction.ts";
import { lockRows } from "../db/row-locks.ts";
import { iso } from "../lib/iso-time.ts";

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** Tokens carry a prefix so they are recognisable in logs and secret scanners. */
const TOKEN_PREFIX = "cs_";

export interface PublicUser {
  id: number;
  name: string;
  /** Unique; what @mentions name. */
  handle: string;
  email: string;
  isPlatformAdmin: boolean;
  locale: string | null;
  /** The chosen interface language (the same as locale); null: the browser's. */
  language: string | null;
  emailVerified: boolean;
  /** The avatar in its stored sizes; null: initials are shown. */
  avatar: { small: string; medium: string; large: string } | null;
  createdAt: string;
}

export function toPublicUser(
  user: Pick<
    User,
    "id" | "name" | "handle" | "email" | "isPlatformAdmin" | "locale" | "createdAt" | "emailVerifiedAt" | "avatarKey"
  >,
): PublicUser {
  return {
    id: user.id,
    name: user.name,
    handle: user.handle,
    email: user.email,
    isPlatformAdmin: Boolean(user.isPlatformAdmin),
    locale: user.locale,
    language: user.locale,
    emailVerified: user.emailVerifiedAt !== null,
    avatar: user.avatarKey
      ? {
          small: avatarUrl(user.avatarKey, 64)!,
          medium: avatarUrl(user.avatarKey, 128)!,
          large: avatarUrl(user.avatarKey, 256)!,
        }
      : null,
    createdAt: new Date(Number(user.createdAt)).toISOString(),
  };
}

export async function signup(deps: Deps, input: SignupInput & { ip: string }): Promise<User> {
  const { db, clock, config } = deps;
  await hitRateLimit(db, `signup:${clientNetwork(input.ip)}`, config.rateLimits.signup, clock.now());
  // Hashed first: a taken email answers no sooner than a new one, so timing does not tell them apart.
  const passwordHash = await hashPassword(input.password);
  const existing = await db.selectFrom("users").select("id").where("email", "=", input.email).executeTakeFirst();
  if (existing) throw conflict("An account with this email already exists.");
  let user: User;
  try {
    user = await insertWithHandle(db, input.name, (handle) =>
      db
        .insertInto("users")
        .values({
          email: input.email,
          name: input.name,
          handle,
          passwordHash,
          isPlatformAdmin: 0,
          locale: input.locale ?? null,
          signupIp: input.ip,
          createdAt: clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  } catch (error) {
    // Two signups racing past the check above meet the unique index.
    if (isUniqueViolation(error)) throw conflict("An account with this email already exists.");
    throw error;
  }
  await sendVerification(deps, user);
  return user;
}

/**
 * An account that logs in through a provider (single sign-on): it has no password (the stored
 * value is no scrypt hash, so no password ever matches it). A taken email is a conflict.
 */
export async function createPasswordlessUser(
  deps: Pick<Deps, "db" | "clock">,
  input: { email: string; name: string; locale: string | null },
): Promise<User> {
  try {
    return await insertWithHandle(deps.db, input.name, (handle) =>
      deps.db
        .insertInto("users")
        .values({ ...input, handle, passwordHash: "", isPlatformAdmin: 0, signupIp: null, createdAt: deps.clock.now() })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("An account with this email already exists.");
    throw error;
  }
}

/**
 * Per account, whatever the attacker's IP: 5 failed logins in a row pass, then each one locks the
 * account's logins for twice as long (30 s, 1 min, 2 min ... at most an hour). Unknown emails are
 * locked the same way, so a lockout does not tell which emails have accounts.
 */
export const LOGIN_LOCKOUT: Lockout = { free: 5, firstMs: 30_000, maxMs: 3600_000, forgetMs: 24 * 3600_000 };

/** Checks credentials; the same error for an unknown email and a wrong password. */
export async function authenticate(deps: Deps, input: LoginInput & { ip: string }): Promise<User> {
  const { db, clock, config } = deps;
  await hitRateLimit(db, `login:${clientNetwork(input.ip)}`, config.rateLimits.login, clock.now());
  const lockoutKey = await emailLimitKey(db, "login-failures", input.email);
  await takeAttempt(
    db,
    lockoutKey,
    LOGIN_LOCKOUT,
    clock.now(),
    "Too many failed logins for this account; try again later.",
  );
  const user = await db.selectFrom("users").selectAll().where("email", "=", input.email).executeTakeFirst();
  // An unknown email, or an account without a password (single sign-on only, whose stored value is no
  // hash), costs the same hash as a wrong password, so timing does not tell which emails have accounts.
  const stored = user?.passwordHash.startsWith("scrypt$") ? user.passwordHash : await timingDummyHash();
  const valid = (await verifyPassword(input.password, stored)) && stored === user?.passwordHash;
  if (!user || !valid) {
    await recordFailure(db, lockoutKey, clock.now());
    throw unauthorized("Email or password is incorrect.");
  }
  await clearFailures(db, lockoutKey);
  return user;
}

let dummyHash: Promise<string> | undefined;
function timingDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomToken());
  return dummyHash;
}

/**
 * Creates a session and returns the cookie value; only its hash is stored, with the browser it began in.
 * The account must still exist, and given the password hash a login checked, still have it: a
 * password reset, a password change or a deletion that ended the sessions while the login was
 * under way leaves none behind (the account's row serialises them).
 */
export async function createSession(
  deps: Deps,
  userId: number,
  userAgent?: string,
  checkedPasswordHash?: string,
): Promise<string> {
  const token = randomToken();
  const now = deps.clock.now();
  await transaction(deps, async (tx) => {
    // Also for single sign-on, which checks no password: a deletion racing it must win.
    await lockRows(tx, "users", [userId]);
    const user = await tx.db
      .selectFrom("users")
      .select(["passwordHash", "deletedAt"])
      .where("id", "=", userId)
      .executeTakeFirst();
    const passwordChanged = checkedPasswordHash !== undefined && user?.passwordHash !== checkedPasswordHash;
    if (!user || user.deletedAt !== null || passwordChanged) throw unauthorized("Email or password is incorrect.");
    await tx.db
      .insertInto("sessions")
      .values({
        idHash: sha256(token),
        userId,
        createdAt: now,
        expiresAt: now + SESSION_TTL_MS,
        userAgent: userAgent?.slice(0, 500) ?? null,
        lastSeenAt: now,
      })
      .execute();
  });
  return token;
}

export async function endSession(deps: Deps, token: string): Promise<void> {
  await deps.db.deleteFrom("sessions").where("idHash", "=", sha256(token)).execute();
}

const actorColumns = [
  "users.id",
  "users.name",
  "users.email",
  "users.isPlatformAdmin",
  "users.locale",
  "users.avatarKey",
] as const;

/** Last-used and last-seen times are kept to the minute: no write on every request. */
const LAST_USED_PRECISION_MS = 60_000;

// Read on every signed-in request: compiled once (db/prepared.ts).
const sessionActor = preparedFirst((db, v: { idHash: string; now: number }) =>
  db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.userId")
    .select([...actorColumns, "sessions.lastSeenAt"])
    .where("sessions.idHash", "=", v.idHash)
    .where("sessions.expiresAt", ">", v.now)
    .where("users.deletedAt", "is", null),
);

/** What signs a request in: an API token sent as a bearer token, else the session cookie. */
export interface Credential {
  via: "token" | "session";
  secret: string;
}

/** The member a credential names now: null once its session or token has ended, or its account gone. */
export function actorFromCredential(deps: Deps, credential: Credential): Promise<Actor | null> {
  return credential.via === "token"
    ? actorFromApiToken(deps, credential.secret)
    : actorFromSession(deps, credential.secret);
}

export async function actorFromSession(deps: Deps, token: string): Promise<Actor | null> {
  const idHash = sha256(token);
  const now = deps.clock.now();
  const row = await sessionActor(deps.db, { idHash, now });
  if (!row) return null;
  if (row.lastSeenAt === null || now - Number(row.lastSeenAt) >= LAST_USED_PRECISION_MS) {
    await deps.db.updateTable("sessions").set({ lastSeenAt: now }).where("idHash", "=", idHash).execute();
  }
  const { lastSeenAt: _seen, ...actor } = row;
  return { ...actor, isPlatformAdmin: Boolean(row.isPlatformAdmin), via: "session" };
}

export async function actorFromApiToken(deps: Deps, token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await deps.db
    .selectFrom("apiTokens")
    .innerJoin("users", "users.id", "apiTokens.userId")
    .select([...actorColumns, "apiTokens.id as tokenId", "apiTokens.lastUsedAt", "apiTokens.scope"])
    .where("apiTokens.tokenHash", "=", sha256(token))
    .where("users.deletedAt", "is", null)
    .where((eb) => eb.or([eb("apiTokens.expiresAt", "is", null), eb("apiTokens.expiresAt", ">", deps.clock.now())]))
    .executeTakeFirst();
  if (!row) return null;
  const now = deps.clock.now();
  if (row.lastUsedAt === null || now - Number(row.lastUsedAt) >= LAST_USED_PRECISION_MS) {
    await deps.db.updateTable("apiTokens").set({ lastUsedAt: now }).where("id", "=", row.tokenId).execute();
  }
  const { tokenId: _id, lastUsedAt: _used, ...actor } = row;
  // Only an admin-scoped token carries the owner's platform administration.
  return { ...actor, isPlatformAdmin: row.scope === "admin" && Boolean(row.isPlatformAdmin), via: "token" };
}

/** The caller's personal API tokens, newest first (never their values). */
export async function listApiTokens(deps: Deps, userId: number) {
  const rows = await deps.db
    .selectFrom("apiTokens")
    .select(["id", "name", "createdAt", "lastUsedAt", "scope", "expiresAt"])
    .where("userId", "=", userId)
    .orderBy("id", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scope: r.scope,
    createdAt: iso(r.createdAt)!,
    lastUsedAt: iso(r.lastUsedAt),
    expiresAt: iso(r.expiresAt),
  }));
}

/** Revokes one of the caller's tokens; another user's token is the same 404 as a missing one. */
export async function revokeApiToken(deps: Deps, userId: number, tokenId: number): Promise<void> {
  const result = await deps.db
    .deleteFrom("apiTokens")
    .where("id", "=", tokenId)
    .where("userId", "=", userId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw notFound("Token");
}

/** A leaked token must not be able to mint more (and outlive its revocation): only a signed-in session may. */
export function assertMayMintTokens(actor: Actor): void {
  if (actor.via !== "session") throw forbidden("Create tokens while logged in, not with a token.");
}

/**
 * Creates a personal API token; the plain value is returned once and never stored. Given the session
 * that asks, the token is made only while that session lasts: a password reset, a password change,
 * "log out everywhere" or a deletion ending it meanwhile leaves no token behind (the account's row
 * serialises them).
 */
export async function createApiToken(deps: Deps, userId: number, input: TokenInput, session?: string) {
  const now = deps.clock.now();
  const expiresAt = input.expiresAt === null ? null : Date.parse(input.expiresAt);
  if (expiresAt !== null && expiresAt <= now) throw validationFailed({ expiresAt: "Choose a time in the future." });
  const token = TOKEN_PREFIX + randomToken();
  const row = await transaction(deps, async (tx) => {
    if (session !== undefined) {
      await lockRows(tx, "users", [userId]);
      if (!(await liveSession(tx.db, userId, session, now))) throw unauthorized();
    }
    return tx.db
      .insertInto("apiTokens")
      .values({ userId, name: input.name, scope: input.scope, expiresAt, tokenHash: sha256(token), createdAt: now })
      .returning(["id", "name", "scope", "expiresAt"])
      .executeTakeFirstOrThrow();
  });
  return { ...row, expiresAt: row.expiresAt === null ? null : new Date(Number(row.expiresAt)).toISOString(), token };
}

export async function getUser(deps: Deps, id: number): Promise<User | undefined> {
  return deps.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Creates or updates the platform admin named by ADMIN_EMAIL / ADMIN_PASSWORD. */
export async function ensurePlatformAdmin(deps: Deps, email: string, password: string): Promise<void> {
  const normalized = email.trim().toLowerCase();
  const passwordHash = await hashPassword(password);
  const existing = await deps.db.selectFrom("users").select("id").where("email", "=", normalized).executeTakeFirst();
  if (existing) {
    await deps.db
      .updateTable("users")
      .set({ passwordHash, isPlatformAdmin: 1 })
      .where("id", "=", existing.id)
      .execute();
  } else {
    await insertWithHandle(deps.db, "Admin", (handle) =>
      deps.db
        .insertInto("users")
        .values({
          email: normalized,
          name: "Admin",
          handle,
          passwordHash,
          isPlatformAdmin: 1,
          locale: null,
          signupIp: null,
          createdAt: deps.clock.now(),
          emailVerifiedAt: deps.clock.now(),
        })
        .execute(),
    );
  }
}
