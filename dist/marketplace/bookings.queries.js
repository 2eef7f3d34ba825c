/** A booking with the names and records its page shows; one query. */
export function findBooking(db, id) {
    return db
        .selectFrom("bookings")
        .innerJoin("services", "services.id", "bookings.serviceId")
        .innerJoin("users as helper", "helper.id", "bookings.helperId")
        .innerJoin("users as customer", "customer.id", "bookings.customerId")
        .innerJoin("communities", "communities.id", "bookings.communityId")
        .leftJoin("payments", "payments.bookingId", "bookings.id")
        .leftJoin("reviews", "reviews.bookingId", "bookings.id")
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
        "reviews.id as reviewId",
        "reviews.rating as reviewRating",
        "reviews.text as reviewText",
        "reviews.response as reviewResponse",
        "reviews.createdAt as reviewCreatedAt",
    ])
        .where("bookings.id", "=", id)
        .executeTakeFirst();
}
export function bookingMessages(db, bookingId) {
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
export async function lockHelper(trx, dialect, helperId) {
    if (dialect === "postgres")
        await trx.selectFrom("helpers").select("id").where("userId", "=", helperId).forUpdate().execute();
}
/** The helper's accepted bookings that overlap the interval (in any community: one person cannot be in two places). */
export function overlappingBooking(db, helperId, interval, exceptId = 0) {
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
export function bookingsOf(db, userId, communityId) {
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
/** Inserts a booking at the agreed offer price; returns its id. Pass the transaction. */
export async function insertBooking(db, b) {
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
