import { type ExpressionBuilder, sql } from "kysely";
import type { Db } from "../db/database.ts";
import type { Database } from "../db/schema.ts";

/** A job is due when it waits for its time, or when it ran out of its lease (its worker died): it waits again. */
function isDue(now: number) {
  return (eb: ExpressionBuilder<Database, "jobs">) =>
    eb.or([
      eb.and([eb("status", "=", "pending"), eb("runAt", "<=", now)]),
      eb.and([eb("status", "=", "running"), eb("lockedUntil", "<", now)]),
    ]);
}

/** The job queue as an operator sees it: due jobs per kind, the oldest one's due time, failures. */
export async function queueState(db: Db, now: number) {
  const [due, failed, oldestDue] = await Promise.all([
    db
      .selectFrom("jobs")
      .select(["name", (eb) => eb.fn.countAll<number>().as("n")])
      .where(isDue(now))
      .groupBy("name")
      .execute(),
    db
      .selectFrom("jobs")
      .select(["name", (eb) => eb.fn.countAll<number>().as("n")])
      .where("status", "=", "failed")
      .groupBy("name")
      .execute(),
    oldestDueAgeMs(db, now),
  ]);
  return {
    due: due.map((r) => ({ name: r.name, count: Number(r.n) })),
    failed: failed.map((r) => ({ name: r.name, count: Number(r.n) })),
    oldestDueAgeMs: oldestDue,
  };
}

/**
 * How long the oldest due job has waited (0 when none is due): what readiness checks, in one query. A job
 * whose lease ran out has waited since the lease's end. `names`: only jobs of these names (those an
 * instance claims; all when left out).
 */
export async function oldestDueAgeMs(db: Db, now: number, names?: readonly string[]): Promise<number> {
  if (names?.length === 0) return 0;
  const row = await db
    .selectFrom("jobs")
    .select((eb) =>
      eb.fn
        .min<number>(eb.case().when("status", "=", "running").then(eb.ref("lockedUntil")).else(eb.ref("runAt")).end())
        .as("oldest"),
    )
    .where(isDue(now))
    .$if(names !== undefined, (query) => query.where("name", "in", names!))
    .executeTakeFirst();
  return row?.oldest == null ? 0 : Math.max(0, now - Number(row.oldest));
}

/** Emails and webhook deliveries by status (pending and failed are what an operator watches). */
export async function deliveryCounts(db: Db) {
  const [emails, webhooks] = await Promise.all([
    db
      .selectFrom("emailDeliveries")
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("status")
      .execute(),
    db
      .selectFrom("webhookDeliveries")
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("status")
      .execute(),
  ]);
  const byStatus = (rows: { status: string; n: number }[]) =>
    rows.map((r) => ({ status: r.status, count: Number(r.n) }));
  return { emails: byStatus(emails), webhooks: byStatus(webhooks) };
}

/** The database answers. */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
