import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import type { Dialect } from "../db/database.ts";
import type { BookingsTable } from "../db/schema.ts";
import { noShowReporter } from "./problems.queries.ts";

/** A booking with the names and records its page shows (payment, review, open problem); one query. */
export function findBooking(db: Db, id: number) {
  return (
    db
      .selectFrom("bookings")
      .innerJoin("services", "services.id", "bookings.serviceId")
      .innerJoin("users as helper", "helper.id", "bookings.helperId")
      .innerJoin("users as customer", "customer.id", "bookings.customerId")
      .innerJoin("communities", "communities.id", "bookings.communityId")
      .leftJoin("payments", "payments.bookingId", "bookings.id")
      .leftJoin("reviews", "reviews.bookingId", "bookings.id")
      // At most one open report per booking (a unique index): the join adds no row.
      .leftJoin("bookingProblems as openProblem", (join) =>
        join.onRef("openProblem.bookingId", "=", "bookings.id").on("openProblem.status", "=", "open"),
      )
      .selectAll("bookings")
      .select([
        "services.name as serviceName",
        "helper.name as helperName",
        "customer.name as customerName",
        "communities.slug as communitySlug",
        "payments.method as paymentMethod",
        "payments.amountCents as paymentAmountCents",
        "payments.feeCents as paymentFeeCents",
        "payments.feePercent as paymentFeePercent",
        "payments.reference as paymentReference",
        "payments.recordedAt as paymentRecordedAt",
        "payments.confirmedAt as paymentConfirmedAt",
        "payments.voidedAt as paymentVoidedAt",
        "openProblem.id as openProblemId",
        "reviews.id as reviewId",
        "reviews.rating as reviewRating",
        "reviews.text as reviewText",
        "reviews.response as reviewResponse",
        "reviews.createdAt as reviewCreatedAt",
        noShowReporter(sql.ref("bookings.id")).as("noShowReporterId"),
      ])
      .where("bookings.id", "=", id)
      .executeTakeFirst()
  );
}

export type BookingRow = NonNullable<Awaited<ReturnType<typeof findBooking>>>;

export function bookingMessages(db: Db, bookingId: number) {
  return db
    .selectFrom("bookingMessages")
    .innerJoin("users", "users.id", "bookingMessages.authorId")
    .select([
      "bookingMessages.id",
      "bookingMessages.authorId",
      "users.name as authorName",
      "bookingMessages.body",
      "bookingMessages.createdAt",
    ])
    .where("bookingMessages.bookingId", "=", bookingId)
    .orderBy("bookingMessages.id")
    .execute();
}

/**
 * Serialises bookings of one helper: on PostgreSQL it locks the helper's rows until the
 * transaction ends, so two acceptances cannot both pass the overlap check; SQLite transactions
 * are serialised already.
 */
export async function lockHelper(trx: Db, dialect: Dialect, helperId: number): Promise<void> {
  if (dialect === "postgres")
    await trx.selectFrom("helpers").select("id").where("userId", "=", helperId).forUpdate().execute();
}

/** The helper's accepted bookings that overlap the interval (in any community: one person cannot be in two places). */
export function overlappingBooking(
  db: Db,
  helperId: number,
  interval: { startsAt: number; endsAt: number },
  exceptId = 0,
) {
  return db
    .selectFrom("bookings")
    .select("id")
    .where("helperId", "=", helperId)
    .where("status", "=", "accepted")
    .where("id", "!=", exceptId)
    .where("startsAt", "<", interval.endsAt)
    .where("endsAt", ">", interval.startsAt)
    .executeTakeFirst();
}

/** The helper's accepted bookings (in any community) overlapping [from, to): what the slot picker leaves out. */
export function bookedBetween(db: Db, helperId: number, from: number, to: number) {
  return db
    .selectFrom("bookings")
    .select(["startsAt", "endsAt"])
    .where("helperId", "=", helperId)
    .where("status", "=", "accepted")
    .where("startsAt", "<", to)
    .where("endsAt", ">", from)
    .execute();
}

export function bookingsOf(db: Db, userId: number, communityId: number) {
  return db
    .selectFrom("bookings")
    .innerJoin("services", "services.id", "bookings.serviceId")
    .innerJoin("users as helper", "helper.id", "bookings.helperId")
    .innerJoin("users as customer", "customer.id", "bookings.customerId")
    .select([
      "bookings.id",
      "bookings.status",
      "bookings.startsAt",
      "bookings.endsAt",
      "bookings.helperId",
      "bookings.customerId",
      "services.name as serviceName",
      "helper.name as helperName",
      "customer.name as customerName",
    ])
    .where("bookings.communityId", "=", communityId)
    .where((eb) => eb.or([eb("bookings.customerId", "=", userId), eb("bookings.helperId", "=", userId)]))
    .orderBy("bookings.startsAt", "desc")
    .limit(100)
    .execute();
}

/** What differs between a direct booking and one won through dispatch; the rest starts the same. */
export interface NewBooking {
  communityId: number;
  offer: { id: number; serviceId: number; helperId: number; priceCents: number; priceUnit: BookingsTable["priceUnit"] };
  jobRequestId: number | null;
  customerId: number;
  startsAt: number;
  endsAt: number;
  description: string;
  address: string;
  phone: string;
  status: "requested" | "accepted";
  respondBy: number;
  currency: string;
  now: number;
}

/** Inserts a booking at the agreed offer price; returns its id. Pass the transaction. */
export async function insertBooking(db: Db, b: NewBooking): Promise<number> {
  const row = await db
    .insertInto("bookings")
    .values({
      communityId: b.communityId,
      offerId: b.offer.id,
      jobRequestId: b.jobRequestId,
      serviceId: b.offer.serviceId,
      helperId: b.offer.helperId,
      customerId: b.customerId,
      startsAt: b.startsAt,
      endsAt: b.endsAt,
      description: b.description,
      address: b.address,
      phone: b.phone,
      status: b.status,
      awaiting: "helper",
      respondBy: b.respondBy,
      priceCents: b.offer.priceCents,
      priceUnit: b.offer.priceUnit,
      currency: b.currency,
      reason: null,
      cancelledBy: null,
      lateCancellation: 0,
      createdAt: b.now,
      updatedAt: b.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
