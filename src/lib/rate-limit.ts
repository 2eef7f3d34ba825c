import net from "node:net";
import type { Db } from "../db/database.ts";
import type { RateLimit } from "../core/config.ts";
import { rateLimited } from "../core/errors.ts";
import { sign, signingSecret } from "./signing.ts";

/**
 * Counts one hit against `key` in a fixed window and refuses past the limit.
 * The counter lives in the database so several app instances share it.
 */
export async function hitRateLimit(db: Db, key: string, limit: RateLimit, now: number): Promise<void> {
  const windowStart = now - (now % limit.windowMs);
  const row = await db
    .insertInto("rateLimits")
    .values({ key, windowStart, count: 1 })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet((eb) => ({
        count: eb
          .case()
          .when("rateLimits.windowStart", "<", windowStart)
          .then(1)
          .else(eb("rateLimits.count", "+", 1))
          .end(),
        windowStart,
      })),
    )
    .returning("count")
    .executeTakeFirstOrThrow();
  if (row.count > limit.max) throw rateLimited();
}

/**
 * The key of a counter kept per email address, e.g. `login-failures`: the address's HMAC under the
 * installation's secret, so the counters never hold an address (one typed by mistake, or of an
 * account deleted since) while still counting the same address as one.
 */
export async function emailLimitKey(db: Db, counter: string, email: string): Promise<string> {
  return `${counter}:${sign(await signingSecret(db), "rate-limit-email", email.trim().toLowerCase())}`;
}

/**
 * The client a per-IP limit counts, from the request's address: an IPv4 address as it is (also one
 * written IPv4-mapped, `::ffff:198.51.100.7`), and an IPv6 address by its /64 network, which one
 * subscriber or host usually holds whole: counted per address, a client would get a fresh limit
 * with each of its 2^64 addresses.
 */
export function clientNetwork(ip: string): string {
  const address = ip.replace(/%.*$/, ""); // a zone id ("fe80::1%eth0") names no other client
  if (!net.isIPv6(address)) return address;
  const groups = ipv6Groups(address);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join(".");
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, "::" expanded and a dotted IPv4 tail read as two. */
function ipv6Groups(address: string): number[] {
  const hex = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    [(Number(a) << 8) | Number(b), (Number(c) << 8) | Number(d)].map((g) => g.toString(16)).join(":"),
  );
  const [head, tail] = hex.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((g) => Number.parseInt(g, 16));
}

/** A lockout after repeated failures: `free` failures pass, then each one doubles the wait. */
export interface Lockout {
  free: number;
  firstMs: number;
  maxMs: number;
  /** Failures older than this are forgotten. */
  forgetMs: number;
}

const lockedUntil = (row: { count: number; windowStart: number }, policy: Lockout) =>
  row.count < policy.free
    ? 0
    : Number(row.windowStart) + Math.min(policy.firstMs * 2 ** (row.count - policy.free), policy.maxMs);

/**
 * Takes one attempt against a lockout before the slow check it guards (a password hash), in one
 * statement: attempts that arrive together each take their own place in the count, so no more are
 * checked than the lockout lets through one by one. Refused while locked out (the place is given
 * back). Uses the rate-limit table: count is the number of failures in a row (and attempts under
 * way), windowStart the time of the last failure. Then call recordFailure or clearFailures.
 */
export async function takeAttempt(db: Db, key: string, policy: Lockout, now: number, message: string): Promise<void> {
  const row = await db
    .insertInto("rateLimits")
    .values({ key, windowStart: now, count: 1 })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet((eb) => {
        const forgotten = eb("rateLimits.windowStart", "<", now - policy.forgetMs);
        return {
          count: eb
            .case()
            .when(forgotten)
            .then(1)
            .else(eb("rateLimits.count", "+", 1))
            .end(),
          windowStart: eb.case().when(forgotten).then(now).else(eb.ref("rateLimits.windowStart")).end(),
        };
      }),
    )
    .returning(["count", "windowStart"])
    .executeTakeFirstOrThrow();
  // Locked as the failures before this attempt left it.
  if (lockedUntil({ count: row.count - 1, windowStart: row.windowStart }, policy) > now) {
    await db
      .updateTable("rateLimits")
      .set((eb) => ({ count: eb("count", "-", 1) }))
      .where("key", "=", key)
      .execute();
    throw rateLimited(message);
  }
}

/** The attempt taken failed: the lock runs from now. */
export async function recordFailure(db: Db, key: string, now: number): Promise<void> {
  await db.updateTable("rateLimits").set({ windowStart: now }).where("key", "=", key).execute();
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom("rateLimits").where("key", "=", key).execute();
}
