import { rateLimited } from "../core/errors.js";
/**
 * Counts one hit against `key` in a fixed window and refuses past the limit.
 * The counter lives in the database so several app instances share it.
 */
export async function hitRateLimit(db, key, limit, now) {
    const windowStart = now - (now % limit.windowMs);
    const row = await db
        .insertInto("rateLimits")
        .values({ key, windowStart, count: 1 })
        .onConflict((oc) => oc.column("key").doUpdateSet((eb) => ({
        count: eb
            .case()
            .when("rateLimits.windowStart", "<", windowStart)
            .then(1)
            .else(eb("rateLimits.count", "+", 1))
            .end(),
        windowStart,
    })))
        .returning("count")
        .executeTakeFirstOrThrow();
    if (row.count > limit.max)
        throw rateLimited();
}
