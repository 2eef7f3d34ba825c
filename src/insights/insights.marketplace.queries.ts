import type { Db } from "../db/database.ts";
import { rate } from "./insights.metrics.ts";
import type { Scope } from "./insights.queries.ts";

/**
 * The service-friend marketplace in the range: bookings made in it (by service, and how many were
 * completed or cancelled), the helpers they went to, reviews written and payments recorded in it.
 * With a category, only services linked to that category. Three queries.
 *
 * Payments are in the currency of their booking, and amounts in different currencies are never
 * added up: the value and fees are those in `currency` (the insights' money figures), and every
 * currency's are listed apart.
 */
export async function marketplaceFigures(db: Db, scope: Scope, currency: string) {
  let bookings = db
    .selectFrom("bookings")
    .innerJoin("services", "services.id", "bookings.serviceId")
    .where("bookings.communityId", "=", scope.communityId)
    .where("bookings.createdAt", ">=", scope.fromMs)
    .where("bookings.createdAt", "<", scope.endMs);
  if (scope.categoryId !== null) bookings = bookings.where("services.categoryId", "=", scope.categoryId);
  let payments = db
    .selectFrom("payments")
    .innerJoin("bookings", "bookings.id", "payments.bookingId")
    .innerJoin("services", "services.id", "bookings.serviceId")
    .where("payments.communityId", "=", scope.communityId)
    // A payment voided by an upheld problem report was not earned.
    .where("payments.voidedAt", "is", null)
    .where("payments.recordedAt", ">=", scope.fromMs)
    .where("payments.recordedAt", "<", scope.endMs);
  if (scope.categoryId !== null) payments = payments.where("services.categoryId", "=", scope.categoryId);
  let reviews = db
    .selectFrom("reviews")
    .innerJoin("bookings", "bookings.id", "reviews.bookingId")
    .innerJoin("services", "services.id", "bookings.serviceId")
    .where("reviews.communityId", "=", scope.communityId)
    .where("reviews.createdAt", ">=", scope.fromMs)
    .where("reviews.createdAt", "<", scope.endMs);
  if (scope.categoryId !== null) reviews = reviews.where("services.categoryId", "=", scope.categoryId);

  const [perService, totals, paid] = await Promise.all([
    bookings
      .select((eb) => [
        "services.id as serviceId",
        "services.name",
        eb.fn.countAll<number>().as("bookings"),
        eb.fn.sum<number>(eb.case().when("bookings.status", "=", "completed").then(1).else(0).end()).as("completed"),
        eb.fn.sum<number>(eb.case().when("bookings.status", "=", "cancelled").then(1).else(0).end()).as("cancelled"),
      ])
      .groupBy(["services.id", "services.name"])
      .orderBy("bookings", "desc")
      .orderBy("services.id")
      .execute(),
    // The rest in one round trip.
    db
      .selectNoFrom([
        bookings.select((eb) => eb.fn.count<number>("bookings.helperId").distinct().as("n")).as("helpers"),
        reviews.select((eb) => eb.fn.countAll<number>().as("n")).as("ratings"),
        reviews.select((eb) => eb.fn.sum<number>("reviews.rating").as("sum")).as("ratingSum"),
      ])
      .executeTakeFirstOrThrow(),
    payments
      .select((eb) => [
        "payments.currency",
        eb.fn.sum<number>("payments.amountCents").as("value"),
        eb.fn.sum<number>("payments.feeCents").as("fees"),
      ])
      .groupBy("payments.currency")
      .orderBy("payments.currency")
      .execute(),
  ]);
  const byCurrency = paid.map((p) => ({
    currency: p.currency,
    valueCents: Number(p.value ?? 0),
    feesCents: Number(p.fees ?? 0),
  }));
  const inCurrency = byCurrency.find((p) => p.currency === currency);
  const services = perService.map((s) => ({
    serviceId: s.serviceId,
    name: s.name,
    bookings: Number(s.bookings),
    completed: Number(s.completed ?? 0),
    cancelled: Number(s.cancelled ?? 0),
  }));
  const count = (key: "bookings" | "completed" | "cancelled") => services.reduce((sum, s) => sum + s[key], 0);
  const ratings = Number(totals.ratings ?? 0);
  return {
    /** Helpers booked in the range. */
    activeHelpers: Number(totals.helpers ?? 0),
    bookings: count("bookings"),
    bookingsByService: services,
    completionRate: rate(count("completed"), count("bookings")),
    cancellationRate: rate(count("cancelled"), count("bookings")),
    averageRating: ratings ? Number(totals.ratingSum) / ratings : null,
    ratings,
    /** Payments recorded for completed jobs (not voided) in the insights' currency, and the platform's fees on them. */
    bookedValueCents: inCurrency?.valueCents ?? 0,
    platformFeesCents: inCurrency?.feesCents ?? 0,
    /** The same per currency the payments were made in (the insights' one among them), by currency code. */
    bookedValueByCurrency: byCurrency,
  };
}
