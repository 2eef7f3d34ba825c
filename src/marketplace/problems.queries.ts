import { type RawBuilder, sql } from "kysely";
import type { Db } from "../db/database.ts";
import { iso } from "../lib/iso-time.ts";

/** Reported problems with what a report shows: its booking's service and parties, and who reported it. */
function problemSelect(db: Db) {
  return db
    .selectFrom("bookingProblems")
    .innerJoin("bookings", "bookings.id", "bookingProblems.bookingId")
    .innerJoin("services", "services.id", "bookings.serviceId")
    .innerJoin("communities", "communities.id", "bookingProblems.communityId")
    .innerJoin("users as helper", "helper.id", "bookings.helperId")
    .innerJoin("users as customer", "customer.id", "bookings.customerId")
    .innerJoin("users as reporter", "reporter.id", "bookingProblems.reporterId")
    .selectAll("bookingProblems")
    .select([
      "communities.slug as communitySlug",
      "services.name as serviceName",
      "bookings.helperId",
      "bookings.customerId",
      "bookings.status as bookingStatus",
      "helper.name as helperName",
      "customer.name as customerName",
      "reporter.name as reporterName",
    ]);
}

export type ProblemRow = NonNullable<Awaited<ReturnType<typeof findProblem>>>;

export const findProblem = (db: Db, id: number) =>
  problemSelect(db).where("bookingProblems.id", "=", id).executeTakeFirst();

/** A booking's reports, newest first. */
export const problemsOfBooking = (db: Db, bookingId: number) =>
  problemSelect(db).where("bookingProblems.bookingId", "=", bookingId).orderBy("bookingProblems.id", "desc").execute();

/** A community's open reports (oldest first: the queue) or resolved ones (latest first); one query. */
export const problemsOfCommunity = (db: Db, communityId: number, status: "open" | "resolved") =>
  problemSelect(db)
    .where("bookingProblems.communityId", "=", communityId)
    .where("bookingProblems.status", "=", status)
    .orderBy("bookingProblems.createdAt", status === "open" ? "asc" : "desc")
    .orderBy("bookingProblems.id", status === "open" ? "asc" : "desc")
    .limit(100)
    .execute();

/**
 * The reporter of the booking's upheld no-show report: the party who was there, the other one failed
 * to show (a `no_show` booking); null without one.
 */
export const noShowReporter = (bookingId: RawBuilder<unknown>) =>
  sql<number | null>`(select np.reporter_id from booking_problems np where np.booking_id = ${bookingId}
    and np.kind = 'no_show' and np.outcome = 'upheld' order by np.id desc limit 1)`;

/** Who failed to show for a `no_show` booking, from its upheld report; null for any other booking. */
export function noShowBy(b: { status: string; customerId: number; noShowReporterId: number | null }) {
  if (b.status !== "no_show" || b.noShowReporterId === null) return null;
  return b.noShowReporterId === b.customerId ? ("helper" as const) : ("customer" as const);
}

/** How many bookings in the community each member failed to show up for, as its helper or as its customer. */
export async function noShowCounts(
  db: Db,
  communityId: number,
  role: "helper" | "customer",
  userIds: number[],
): Promise<Map<number, number>> {
  if (userIds.length === 0) return new Map();
  const [own, other] =
    role === "helper" ? (["helperId", "customerId"] as const) : (["customerId", "helperId"] as const);
  const rows = await db
    .selectFrom("bookings")
    .select((eb) => [eb.ref(own).as("userId"), eb.fn.countAll<number>().as("count")])
    .where("communityId", "=", communityId)
    .where(own, "in", userIds)
    .where("status", "=", "no_show")
    .where((eb) => eb(noShowReporter(sql.ref("bookings.id")), "=", eb.ref(other)))
    .groupBy(own)
    .execute();
  return new Map(rows.map((r) => [r.userId, Number(r.count)]));
}

/** A report as the booking's parties and staff read it. */
export function toPublicProblem(r: ProblemRow) {
  const bookingUrl = `/c/${r.communitySlug}/bookings/${r.bookingId}`;
  return {
    id: r.id,
    kind: r.kind,
    details: r.details,
    status: r.status,
    outcome: r.outcome,
    note: r.note,
    reporter: {
      id: r.reporterId,
      name: r.reporterName,
      role: r.reporterId === r.customerId ? ("customer" as const) : ("helper" as const),
    },
    booking: {
      id: r.bookingId,
      status: r.bookingStatus,
      service: r.serviceName,
      helper: { id: r.helperId, name: r.helperName },
      customer: { id: r.customerId, name: r.customerName },
      url: bookingUrl,
    },
    createdAt: iso(r.createdAt)!,
    resolvedAt: iso(r.resolvedAt),
    url: `${bookingUrl}#problem-${r.id}`,
  };
}

export type PublicProblem = ReturnType<typeof toPublicProblem>;
