import type { Db } from "../db/database.ts";
import type { Clock } from "../core/clock.ts";
import type { BookingStatus } from "../db/schema.ts";
import { defineJob, enqueue } from "../jobs/jobs.ts";
import { tell } from "./marketplace.notifications.ts";

/** How long a helper (or a customer, after a new time was proposed) has to answer a request. */
export const ANSWER_WITHIN_MS = 48 * 3600_000;
/** Reminders go out this long before the appointment. */
export const REMINDER_BEFORE_MS = 24 * 3600_000;

/** A booking in a notification: the service, and its start shown in each reader's locale and the community's zone. */
const title = (b: { serviceName: string; startsAt: number }) => ({ title: b.serviceName, at: b.startsAt });

function loadBooking(db: Db, id: number) {
  return db
    .selectFrom("bookings")
    .innerJoin("services", "services.id", "bookings.serviceId")
    .innerJoin("communities", "communities.id", "bookings.communityId")
    .select([
      "bookings.id",
      "bookings.status",
      "bookings.respondBy",
      "bookings.startsAt",
      "bookings.helperId",
      "bookings.customerId",
      "bookings.communityId",
      "services.name as serviceName",
      "communities.slug",
    ])
    .where("bookings.id", "=", id)
    .executeTakeFirst();
}

/** A request nobody answered by its deadline expires (idempotent: only a still-unanswered request changes). */
export const expireBookingJob = defineJob<{ bookingId: number }>({
  name: "marketplace.booking-expire",
  run: async (deps, { bookingId }) => {
    const now = deps.clock.now();
    await deps.db.transaction().execute(async (trx) => {
      const expired = await trx
        .updateTable("bookings")
        .set({ status: "expired", updatedAt: now })
        .where("id", "=", bookingId)
        .where("status", "=", "requested")
        .where("respondBy", "<=", now)
        .executeTakeFirst();
      if (Number(expired.numUpdatedRows) === 0) return;
      const b = (await loadBooking(trx, bookingId))!;
      await tell({ db: trx, clock: deps.clock }, "booking_expired", {
        userIds: [b.customerId, b.helperId],
        communityId: b.communityId,
        eventKey: `expired:${b.id}`,
        subject: `booking:${b.id}`,
        ...title(b),
        url: `/c/${b.slug}/bookings/${b.id}`,
      });
    });
    deps.wakeJobs?.();
  },
});

/** Reminds both sides of an accepted booking; skipped when it was moved, cancelled or completed meanwhile. */
export const bookingReminderJob = defineJob<{ bookingId: number; startsAt: number }>({
  name: "marketplace.booking-reminder",
  run: async (deps, { bookingId, startsAt }) => {
    const b = await loadBooking(deps.db, bookingId);
    if (b?.status !== "accepted" || b.startsAt !== startsAt) return;
    await tell(deps, "booking_reminder", {
      userIds: [b.customerId, b.helperId],
      communityId: b.communityId,
      eventKey: `reminder:${b.id}:${startsAt}`,
      subject: `booking:${b.id}`,
      ...title(b),
      url: `/c/${b.slug}/bookings/${b.id}`,
    });
  },
});

/** The bookings that have not ended yet: a request not answered, or an accepted appointment not completed. */
const OPEN_STATUSES: BookingStatus[] = ["requested", "accepted"];
/** What a customer told about the visit: the helper's business only while the booking lasts. */
const NO_CONTACT = { address: "", phone: "", description: "" };

/** Erases the booking's address, phone and description if its customer has deleted their account. */
export async function eraseContactOfLeftCustomer(db: Db, bookingId: number): Promise<void> {
  await db
    .updateTable("bookings")
    .set(NO_CONTACT)
    .where("id", "=", bookingId)
    .where("customerId", "in", (eb) => eb.selectFrom("users").select("id").where("deletedAt", "is not", null))
    .execute();
}

/** At its end, a booking under way when its customer left loses the contact details it kept for the helper. */
export const eraseLeftCustomerContactJob = defineJob<{ bookingId: number }>({
  name: "marketplace.booking-erase-contact",
  run: (deps, { bookingId }) => eraseContactOfLeftCustomer(deps.db, bookingId),
});

/**
 * A customer leaves (in their account deletion's transaction, after cancelOpenBookingsOf): their
 * bookings' address, phone and description are erased, but for a booking under way (begun, not yet
 * ended), whose helper may be on the way: they go when it ends, when completed (completeBooking) or
 * at its end time at the latest (eraseLeftCustomerContactJob).
 */
export async function eraseCustomerContact(ctx: { db: Db; clock: Clock }, customerId: number): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db
    .updateTable("bookings")
    .set(NO_CONTACT)
    .where("customerId", "=", customerId)
    .where((eb) => eb.or([eb("status", "not in", OPEN_STATUSES), eb("endsAt", "<=", now)]))
    .execute();
  const underWay = await ctx.db
    .selectFrom("bookings")
    .select(["id", "endsAt"])
    .where("customerId", "=", customerId)
    .where("status", "in", OPEN_STATUSES)
    .where("endsAt", ">", now)
    .execute();
  for (const b of underWay)
    await enqueue(
      ctx,
      eraseLeftCustomerContactJob,
      { bookingId: b.id },
      { runAt: Number(b.endsAt), dedupeKey: `booking-erase-contact:${b.id}` },
    );
}

export function scheduleExpiry(ctx: { db: Db; clock: Clock }, bookingId: number, respondBy: number) {
  return enqueue(
    ctx,
    expireBookingJob,
    { bookingId },
    { runAt: respondBy, dedupeKey: `booking-expire:${bookingId}:${respondBy}` },
  );
}

export function scheduleReminder(ctx: { db: Db; clock: Clock }, bookingId: number, startsAt: number) {
  return enqueue(
    ctx,
    bookingReminderJob,
    { bookingId, startsAt },
    {
      runAt: Math.max(ctx.clock.now(), startsAt - REMINDER_BEFORE_MS),
      dedupeKey: `booking-reminder:${bookingId}:${startsAt}`,
    },
  );
}

export { title as bookingTitle };
