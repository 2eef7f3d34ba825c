import { sql } from "kysely";
import type { Db } from "../db/database.ts";

/** The job queue as an operator sees it: due jobs per kind, the oldest one's due time, failures. */
export async function queueState(db: Db, now: number) {
  const [due, failed] = await Promise.all([
    db
      .selectFrom("jobs")
      .select(["name", (eb) => eb.fn.countAll<number>().as("n"), (eb) => eb.fn.min<number>("runAt").as("oldest")])
      .where("status", "=", "pending")
      .where("runAt", "<=", now)
      .groupBy("name")
      .execute(),
    db
      .selectFrom("jobs")
      .select(["name", (eb) => eb.fn.countAll<number>().as("n")])
      .where("status", "=", "failed")
      .groupBy("name")
      .execute(),
  ]);
  const oldest = due.reduce<number | null>(
    (min, r) => (min === null || Number(r.oldest) < min ? Number(r.oldest) : min),
    null,
  );
  return {
    due: due.map((r) => ({ name: r.name, count: Number(r.n) })),
    failed: failed.map((r) => ({ name: r.name, count: Number(r.n) })),
    oldestDueAgeMs: oldest === null ? 0 : Math.max(0, now - oldest),
  };
}

/** How long the oldest due job has waited (0 when none is due): what readiness checks, in one query. */
export async function oldestDueAgeMs(db: Db, now: number): Promise<number> {
  const row = await db
    .selectFrom("jobs")
    .select((eb) => eb.fn.min<number>("runAt").as("oldest"))
    .where("status", "=", "pending")
    .where("runAt", "<=", now)
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
