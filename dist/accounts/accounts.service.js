import { conflict, unauthorized } from "../core/errors.js";
import { hashPassword, randomToken, sha256, verifyPassword } from "../lib/crypto.js";
import { hitRateLimit } from "../lib/rate-limit.js";
import { isUniqueViolation } from "../db/errors.js";
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** Tokens carry a prefix so they are recognisable in logs and secret scanners. */
const TOKEN_PREFIX = "cs_";
export function toPublicUser(user) {
    return {
        id: user.id,
        name: user.name,
        email: user.email,
        isPlatformAdmin: Boolean(user.isPlatformAdmin),
        locale: user.locale,
        createdAt: new Date(user.createdAt).toISOString(),
    };
}
export async function signup(deps, input) {
    const { db, clock, config } = deps;
    await hitRateLimit(db, `signup:${input.ip}`, config.rateLimits.signup, clock.now());
    const existing = await db.selectFrom("users").select("id").where("email", "=", input.email).executeTakeFirst();
    if (existing)
        throw conflict("An account with this email already exists.");
    const passwordHash = await hashPassword(input.password);
    try {
        return await db
            .insertInto("users")
            .values({
            email: input.email,
            name: input.name,
            passwordHash,
            isPlatformAdmin: 0,
            locale: input.locale ?? null,
            signupIp: input.ip,
            createdAt: clock.now(),
        })
            .returningAll()
            .executeTakeFirstOrThrow();
    }
    catch (error) {
        // Two signups racing past the check above meet the unique index.
        if (isUniqueViolation(error))
            throw conflict("An account with this email already exists.");
        throw error;
    }
}
/** Checks credentials; the same error for an unknown email and a wrong password. */
export async function authenticate(deps, input) {
    const { db, clock, config } = deps;
    await hitRateLimit(db, `login:${input.ip}`, config.rateLimits.login, clock.now());
    const user = await db.selectFrom("users").selectAll().where("email", "=", input.email).executeTakeFirst();
    // An unknown email costs the same hash as a wrong password, so timing does not tell which emails have accounts.
    const valid = await verifyPassword(input.password, user?.passwordHash ?? (await timingDummyHash()));
    if (!user || !valid) {
        throw unauthorized("Email or password is incorrect.");
    }
    return user;
}
let dummyHash;
function timingDummyHash() {
    dummyHash ??= hashPassword(randomToken());
    return dummyHash;
}
/** Creates a session and returns the cookie value; only its hash is stored. */
export async function createSession(deps, userId) {
    const token = randomToken();
    const now = deps.clock.now();
    await deps.db
        .insertInto("sessions")
        .values({ idHash: sha256(token), userId, createdAt: now, expiresAt: now + SESSION_TTL_MS })
        .execute();
    return token;
}
export async function endSession(deps, token) {
    await deps.db.deleteFrom("sessions").where("idHash", "=", sha256(token)).execute();
}
const actorColumns = ["users.id", "users.name", "users.email", "users.isPlatformAdmin", "users.locale"];
export async function actorFromSession(deps, token) {
    const row = await deps.db
        .selectFrom("sessions")
        .innerJoin("users", "users.id", "sessions.userId")
        .select(actorColumns)
        .where("sessions.idHash", "=", sha256(token))
        .where("sessions.expiresAt", ">", deps.clock.now())
        .executeTakeFirst();
    return row ? { ...row, isPlatformAdmin: Boolean(row.isPlatformAdmin), via: "session" } : null;
}
export async function actorFromApiToken(deps, token) {
    if (!token.startsWith(TOKEN_PREFIX))
        return null;
    const row = await deps.db
        .selectFrom("apiTokens")
        .innerJoin("users", "users.id", "apiTokens.userId")
        .select(actorColumns)
        .where("apiTokens.tokenHash", "=", sha256(token))
        .executeTakeFirst();
    return row ? { ...row, isPlatformAdmin: Boolean(row.isPlatformAdmin), via: "token" } : null;
}
/** Creates a personal API token; the plain value is returned once and never stored. */
export async function createApiToken(deps, userId, name) {
    const token = TOKEN_PREFIX + randomToken();
    const row = await deps.db
        .insertInto("apiTokens")
        .values({ userId, name, tokenHash: sha256(token), createdAt: deps.clock.now(), lastUsedAt: null })
        .returning(["id", "name"])
        .executeTakeFirstOrThrow();
    return { ...row, token };
}
export async function getUser(deps, id) {
    return deps.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}
/** Creates or updates the platform admin named by ADMIN_EMAIL / ADMIN_PASSWORD. */
export async function ensurePlatformAdmin(deps, email, password) {
    const normalized = email.trim().toLowerCase();
    const passwordHash = await hashPassword(password);
    const existing = await deps.db.selectFrom("users").select("id").where("email", "=", normalized).executeTakeFirst();
    if (existing) {
        await deps.db
            .updateTable("users")
            .set({ passwordHash, isPlatformAdmin: 1 })
            .where("id", "=", existing.id)
            .execute();
    }
    else {
        await deps.db
            .insertInto("users")
            .values({
            email: normalized,
            name: "Admin",
            passwordHash,
            isPlatformAdmin: 1,
            locale: null,
            signupIp: null,
            createdAt: deps.clock.now(),
        })
            .execute();
    }
}
