import type { Db } from "../db/database.ts";
import type { RateLimit } from "../core/config.ts";
import { rateLimited } from "../core/errors.ts";

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
 * Refuses while `key` is locked out after its recent failures. Uses the rate-limit table: count is
 * the number of failures in a row, windowStart the time of the last one.
 */
export async function checkLockout(db: Db, key: string, policy: Lockout, now: number, message: string): Promise<void> {
  const row = await db
    .selectFrom("rateLimits")
    .select(["count", "windowStart"])
    .where("key", "=", key)
    .executeTakeFirst();
  if (row && lockedUntil(row, policy) > now) throw rateLimited(message);
}

export async function recordFailure(db: Db, key: string, policy: Lockout, now: number): Promise<void> {
  await db
    .insertInto("rateLimits")
    .values({ key, windowStart: now, count: 1 })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet((eb) => ({
        count: eb
          .case()
          .when("rateLimits.windowStart", "<", now - policy.forgetMs)
          .then(1)
          .else(eb("rateLimits.count", "+", 1))
          .end(),
        windowStart: now,
      })),
    )
    .execute();
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.deleteFrom("rateLimits").where("key", "=", key).execute();
}
