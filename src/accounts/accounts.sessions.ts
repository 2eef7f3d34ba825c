import type { Db } from "../db/database.ts";
import { notFound } from "../core/errors.ts";
import { sha256 } from "../lib/crypto.ts";
import type { Deps } from "../core/deps.ts";
import { transaction } from "../core/transaction.ts";
import { lockRows } from "../db/row-locks.ts";
import { voidOpenLinks } from "./accounts.links.ts";

/**
 * A member's sessions (device, last seen) and the ways to end them: one, all but the current one
 * ("log out everywhere", a password change), or all (a password reset, a deleted account). The
 * personal API tokens end with them: whoever had the password may have made one.
 */

/** A session's id in the API: derived from the stored hash, so the cookie's hash is never shown. */
export const sessionPublicId = (idHash: string) => sha256(`session:${idHash}`).slice(0, 22);

/** When the account's session `session` began, if it is still alive (not expired, not ended). */
export async function liveSession(db: Db, userId: number, session: string, now: number) {
  return db
    .selectFrom("sessions")
    .select("createdAt")
    .where("idHash", "=", sha256(session))
    .where("userId", "=", userId)
    .where("expiresAt", ">", now)
    .executeTakeFirst();
}

/**
 * What a member recognises a device by, read from its User-Agent: the browser and the system, each
 * null when not recognised; null for no User-Agent at all. Data, not words: the account page names
 * it in the viewer's language.
 */
export type SessionDevice = { browser: string | null; system: string | null } | null;

export function deviceOf(userAgent: string | null): SessionDevice {
  if (!userAgent) return null;
  const browser =
    [
      ["Edg/", "Edge"],
      ["OPR/", "Opera"],
      ["Firefox/", "Firefox"],
      ["Chrome/", "Chrome"],
      ["Chromium/", "Chromium"],
      ["Safari/", "Safari"],
    ].find(([mark]) => userAgent.includes(mark))?.[1] ?? null;
  const system =
    [
      ["Android", "Android"],
      ["iPhone", "iPhone"],
      ["iPad", "iPad"],
      ["Windows", "Windows"],
      ["Mac OS X", "macOS"],
      ["CrOS", "ChromeOS"],
      ["Linux", "Linux"],
    ].find(([mark]) => userAgent.includes(mark))?.[1] ?? null;
  return { browser, system };
}

/**
 * "Firefox on Windows": the device in English, as the API's `device` field has always given it
 * (API clients are not localised). Pages name it with `deviceLabel` instead.
 */
export function deviceName(device: SessionDevice): string {
  if (!device) return "Unknown device";
  const browser = device.browser ?? "Browser";
  return device.system ? `${browser} on ${device.system}` : browser;
}

export interface SessionInfo {
  id: string;
  /** The device in English, for API clients; pages name `client` in the viewer's language. */
  device: string;
  /** Browser and system read from the User-Agent (null: none sent). */
  client: SessionDevice;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

/** The member's unexpired sessions, the current one first, then by last request. */
export async function listSessions(db: Db, userId: number, now: number, currentToken?: string): Promise<SessionInfo[]> {
  const current = currentToken ? sha256(currentToken) : null;
  const rows = await db
    .selectFrom("sessions")
    .select(["idHash", "userAgent", "createdAt", "lastSeenAt"])
    .where("userId", "=", userId)
    .where("expiresAt", ">", now)
    .execute();
  return rows
    .map((r) => {
      const client = deviceOf(r.userAgent);
      return {
        id: sessionPublicId(r.idHash),
        device: deviceName(client),
        client,
        userAgent: r.userAgent,
        createdAt: new Date(Number(r.createdAt)).toISOString(),
        lastSeenAt: new Date(Number(r.lastSeenAt ?? r.createdAt)).toISOString(),
        current: r.idHash === current,
      };
    })
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt));
}

/** Ends one of the member's sessions by its public id; another member's is the same 404 as none. */
export async function revokeSession(db: Db, userId: number, id: string): Promise<void> {
  const rows = await db.selectFrom("sessions").select("idHash").where("userId", "=", userId).execute();
  const match = rows.find((r) => sessionPublicId(r.idHash) === id);
  if (!match) throw notFound("Session");
  await db.deleteFrom("sessions").where("idHash", "=", match.idHash).execute();
}

/**
 * Ends every session of the member but the one of `keepToken` (none kept without it), and
 * revokes every personal API token.
 */
export async function endSessionsAndTokens(db: Db, userId: number, keepToken?: string): Promise<void> {
  let sessions = db.deleteFrom("sessions").where("userId", "=", userId);
  if (keepToken) sessions = sessions.where("idHash", "!=", sha256(keepToken));
  await sessions.execute();
  await db.deleteFrom("apiTokens").where("userId", "=", userId).execute();
}

/**
 * "Log out everywhere": endSessionsAndTokens with the account's row locked, as a password change
 * locks it, so a token a session is minting meanwhile is not left behind (createApiToken).
 */
export async function logOutEverywhere(deps: Deps, userId: number, keepToken?: string): Promise<void> {
  await transaction(deps, async (tx) => {
    await lockRows(tx, "users", [userId]);
    await endSessionsAndTokens(tx.db, userId, keepToken);
  });
}

/**
 * A provider has proven that its user owns this account's address. If the account never proved it,
 * whoever registered it may not be that user (account pre-hijacking): their password, sessions,
 * tokens and unused emailed links (a move to their own address, say) end before the identity is
 * linked, and the address counts as verified from now on.
 */
export async function claimWithProvenEmail(db: Db, userId: number, now: number): Promise<void> {
  const unproven = await db
    .updateTable("users")
    .set({ passwordHash: "", emailVerifiedAt: now })
    .where("id", "=", userId)
    .where("emailVerifiedAt", "is", null)
    .executeTakeFirst();
  if (Number(unproven.numUpdatedRows) === 0) return;
  await endSessionsAndTokens(db, userId);
  await voidOpenLinks(db, userId, now);
}
