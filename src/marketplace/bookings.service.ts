import { hitRateLimit } from "../lib/rate-limit.ts";
import type { Actor, Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { BookingStatus } from "../db/schema.ts";
import { ensureMember } from "../communities/index.ts";
import { AppError, conflict, forbidden, notFound, validationFailed, type ErrorCode } from "../core/errors.ts";
import {
  ACCOUNT_DELETED_REASON,
  bookingAbilities,
  partyOf,
  type BookingAbilities,
  type BookingParty,
} from "./marketplace.policy.ts";
import { settingsOf } from "./marketplace.settings.ts";
import { offerCovers } from "./marketplace.time.ts";
import { toMoney } from "./catalog.service.ts";
import { helperSells } from "./applications.service.ts";
import { tell, type MarketKind } from "./marketplace.notifications.ts";
import { PAYMENT_METHODS, agreedAmount, recordPayment } from "./payments.ts";
import {
  ANSWER_WITHIN_MS,
  bookingTitle,
  eraseContactOfLeftCustomer,
  scheduleExpiry,
  scheduleReminder,
} from "./bookings.jobs.ts";
import * as q from "./bookings.queries.ts";
import { noShowBy, problemsOfBooking, toPublicProblem } from "./problems.queries.ts";
import { MARKET_LIMITS, type BookingInput, type CompleteInput } from "./marketplace.schema.ts";
import { communityAccess } from "../communities/index.ts";
import { can, requirePrivilege } from "../access/privileges.ts";
import { hasCertification } from "../academy/index.ts";
import { iso } from "../lib/iso-time.ts";

type Interval = { startsAt: number; endsAt: number };

/** A refusal of the chosen time, named on `startsAt` for the API and explained in the reader's language for forms. */
const timeRefused = (code: ErrorCode, message: string, key: string, params?: Record<string, number>) =>
  new AppError(code, message, { startsAt: message }, { key, params });

function checkFuture(now: number, interval: Interval): void {
  if (interval.startsAt <= now)
    throw timeRefused("validation_failed", "Choose a time in the future.", "market.error.past");
}

/** A new time for a visit (a request, a proposal, a dispatched job): in the future, at most `bookAheadDays` ahead. */
export function checkNewTime(now: number, interval: Interval): void {
  checkFuture(now, interval);
  const days = MARKET_LIMITS.bookAheadDays;
  if (interval.startsAt > now + days * 24 * 3600_000)
    throw timeRefused("validation_failed", `Choose a time at most ${days} days ahead.`, "market.error.tooFarAhead", {
      days,
    });
}

/** Refuses a time the helper is already booked for; call inside the transaction, after lockHelper. */
async function checkFree(trx: Db, helperId: number, interval: Interval, exceptId = 0): Promise<void> {
  if (await q.overlappingBooking(trx, helperId, interval, exceptId))
    throw timeRefused("conflict", "The helper is already booked at that time.", "market.alreadyBooked");
}

/** Whether the helper holds, at `now`, the certification the service requires (if it requires one). */
export async function certifiedFor(db: Db, serviceId: number, helperId: number, now: number): Promise<boolean> {
  const service = await db
    .selectFrom("services")
    .select("requiredCourseId")
    .where("id", "=", serviceId)
    .executeTakeFirst();
  const courseId = service?.requiredCourseId ?? null;
  return courseId === null || (await hasCertification(db, courseId, helperId, now));
}

/** The helper may not be booked now: the API's 409 and message, explained in the reader's language for forms. */
const notCertified = () =>
  new AppError("conflict", "This service friend is not certified for this service at the moment.", undefined, {
    key: "market.error.notCertified",
  });
const notSelling = () =>
  new AppError("conflict", "This service friend is not taking bookings.", undefined, {
    key: "market.error.notSelling",
  });

type OfferParties = { communityId: number; helperId: number; serviceId: number };

/**
 * Why an offer may not be booked at `now` (409, explained), or null: its helper does not sell in the
 * community (not approved, suspended, banned, or no longer taking part), or lacks the certification its
 * service requires. What booking answers, also for the booking form's page and the slot picker.
 */
export async function bookingRefusal(db: Db, offer: OfferParties, now: number): Promise<AppError | null> {
  if (!(await helperSells(db, offer.communityId, offer.helperId, now))) return notSelling();
  if (!(await certifiedFor(db, offer.serviceId, offer.helperId, now))) return notCertified();
  return null;
}

/** Throws bookingRefusal's answer, if any. */
export async function assertBookable(db: Db, offer: OfferParties, now: number): Promise<void> {
  const refusal = await bookingRefusal(db, offer, now);
  if (refusal) throw refusal;
}

/** A customer requests a time slot of a helper's offer. */
export async function requestBooking(deps: Deps, offerId: number, actor: Actor, input: BookingInput) {
  const now = deps.clock.now();
  const offer = await deps.db
    .selectFrom("offers")
    .selectAll()
    .where("id", "=", offerId)
    .where("active", "=", 1)
    .executeTakeFirst();
  if (!offer) throw notFound("Offer");
  const access = await communityAccess(deps, { id: offer.communityId }, actor, "Offer");
  requirePrivilege(access, "booking.request", "Join this community to book.");
  if (offer.helperId === actor.id) throw forbidden("You cannot book your own offer.");
  await assertBookable(deps.db, offer, now);
  checkNewTime(now, input);
  // Each request emails the helper and holds their time until answered: limited like posts.
  await hitRateLimit(deps.db, `booking-request:${actor.id}`, deps.config.rateLimits.post, now);
  const settings = await settingsOf(deps.db, offer.communityId);
  if (!offerCovers(offer, input, settings.timezone)) {
    throw timeRefused(
      "validation_failed",
      "The helper is not available at that time; pick one of the free slots.",
      "market.error.unavailable",
    );
  }
  const respondBy = now + ANSWER_WITHIN_MS;
  const id = await deps.db.transaction().execute(async (trx) => {
    await q.lockHelper(trx, deps.dialect, offer.helperId);
    // Again under the helper's lock: a suspension deciding since the check above is seen here.
    await assertBookable(trx, offer, now);
    await checkFree(trx, offer.helperId, input);
    const bookingId = await q.insertBooking(trx, {
      communityId: offer.communityId,
      offer,
      jobRequestId: null,
      customerId: actor.id,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      description: input.description,
      address: input.address,
      phone: input.phone,
      status: "requested",
      respondBy,
      // The offer's: not the community's currency of now, if staff changed it since it was published.
      currency: offer.currency,
      now,
    });
    await scheduleExpiry({ db: trx, clock: deps.clock }, bookingId, respondBy);
    await ensureMember({ db: trx, clock: deps.clock }, offer.communityId, actor.id);
    await announce(trx, deps, bookingId, "booking_requested", actor, `requested:${bookingId}`);
    return bookingId;
  });
  deps.wakeJobs?.();
  return (await getBooking(deps, id, actor)).booking;
}

/** Tells the other party (or both, without an actor) what happened to a booking. */
export async function announce(
  trx: Db,
  deps: Pick<Deps, "clock">,
  bookingId: number,
  kind: MarketKind,
  actor: Pick<Actor, "id" | "name"> | null,
  eventKey: string,
  excerpt?: string,
) {
  const b = (await q.findBooking(trx, bookingId))!;
  const userIds = [b.customerId, b.helperId].filter((id) => id !== actor?.id);
  await tell({ db: trx, clock: deps.clock }, kind, {
    userIds,
    communityId: b.communityId,
    actor,
    eventKey,
    subject: `booking:${b.id}`,
    ...bookingTitle(b),
    url: `/c/${b.communitySlug}/bookings/${b.id}`,
    excerpt,
  });
}

/** Loads a booking for one of its parties or staff; anyone else gets "not found". */
export async function bookingFor(deps: Deps, id: number, actor: Actor | null) {
  const row = await q.findBooking(deps.db, id);
  if (!row || !actor) throw notFound("Booking");
  const access = await communityAccess(deps, { id: row.communityId }, actor, "Booking");
  const party = partyOf(row, actor.id, can(access, "market.staff"));
  if (!party) throw notFound("Booking");
  const now = deps.clock.now();
  const [sells, certified] = await Promise.all([
    helperSells(deps.db, row.communityId, row.helperId, now),
    certifiedFor(deps.db, row.serviceId, row.helperId, now),
  ]);
  const facts = {
    ...row,
    helperSells: sells,
    helperCertified: certified,
    paymentRecorded: row.paymentRecordedAt !== null,
    paymentConfirmed: row.paymentConfirmedAt !== null,
    paymentVoided: row.paymentVoidedAt !== null,
    completedAt: row.status === "completed" ? row.paymentRecordedAt : null,
    openProblem: row.openProblemId !== null,
    reviewed: row.reviewId !== null,
    responded: row.reviewResponse !== null,
  };
  return { row, access, party, facts, abilities: bookingAbilities(facts, party, now, access) };
}

function toPublicBooking(row: q.BookingRow, abilities: BookingAbilities, party: BookingParty, freeCancelHours: number) {
  return {
    id: row.id,
    community: row.communitySlug,
    status: row.status,
    /** For a `no_show` booking: who failed to show, as staff upheld the other party's report. */
    noShowBy: noShowBy(row),
    awaiting: row.awaiting,
    you: party,
    service: { id: row.serviceId, name: row.serviceName },
    helper: { id: row.helperId, name: row.helperName, url: `/c/${row.communitySlug}/helpers/${row.helperId}` },
    customer: { id: row.customerId, name: row.customerName },
    startsAt: iso(row.startsAt)!,
    endsAt: iso(row.endsAt)!,
    description: row.description,
    /** Null for the helper until the booking is accepted. */
    address: abilities.seeContact ? row.address : null,
    phone: abilities.seeContact ? row.phone : null,
    price: toMoney(row.priceCents),
    priceUnit: row.priceUnit,
    currency: row.currency,
    reason: row.reason,
    cancelledBy: row.cancelledBy,
    lateCancellation: Boolean(row.lateCancellation),
    freeCancellationUntil: iso(row.startsAt - freeCancelHours * 3600_000)!,
    respondBy: row.status === "requested" ? iso(row.respondBy) : null,
    payment:
      row.paymentRecordedAt === null
        ? null
        : {
            method: row.paymentMethod!,
            amount: toMoney(row.paymentAmountCents!),
            feePercent: row.paymentFeePercent!,
            fee: toMoney(row.paymentFeeCents!),
            reference: row.paymentReference,
            recordedAt: iso(row.paymentRecordedAt)!,
            confirmedAt: iso(row.paymentConfirmedAt),
            /** Voided by staff upholding a reported problem: left out of payout statements. */
            voidedAt: iso(row.paymentVoidedAt),
          },
    review:
      row.reviewId === null
        ? null
        : {
            id: row.reviewId,
            rating: row.reviewRating!,
            text: row.reviewText!,
            response: row.reviewResponse,
            createdAt: iso(row.reviewCreatedAt)!,
          },
    abilities,
    url: `/c/${row.communitySlug}/bookings/${row.id}`,
  };
}

export async function getBooking(deps: Deps, id: number, actor: Actor | null) {
  const { row, access, party, abilities } = await bookingFor(deps, id, actor);
  const [messages, settings, problems] = await Promise.all([
    q.bookingMessages(deps.db, id),
    settingsOf(deps.db, row.communityId),
    problemsOfBooking(deps.db, id),
  ]);
  return {
    access,
    booking: {
      ...toPublicBooking(row, abilities, party, settings.freeCancelHours),
      /** Problems reported with it, newest first, with their outcome. */
      problems: problems.map(toPublicProblem),
    },
    messages: messages.map((m) => ({
      id: m.id,
      author: { id: m.authorId, name: m.authorName },
      body: m.body,
      createdAt: iso(m.createdAt)!,
    })),
  };
}

/**
 * Moves a booking from one status to another only if nobody changed it meanwhile (409 otherwise);
 * with `answeredAt`, only while the request's answer deadline is still ahead of that instant; with
 * `at`, only while the booking is still for that time (not moved by a new proposal meanwhile).
 */
async function transition(
  trx: Db,
  id: number,
  from: BookingStatus,
  changes: Record<string, unknown>,
  extra: { awaiting?: "helper" | "customer"; answeredAt?: number; at?: Interval } = {},
): Promise<void> {
  let update = trx.updateTable("bookings").set(changes).where("id", "=", id).where("status", "=", from);
  if (extra.awaiting) update = update.where("awaiting", "=", extra.awaiting);
  if (extra.at) update = update.where("startsAt", "=", extra.at.startsAt).where("endsAt", "=", extra.at.endsAt);
  if (extra.answeredAt !== undefined) update = update.where("respondBy", ">", extra.answeredAt);
  const result = await update.executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict("This booking changed meanwhile; reload it.");
}

function refuse(what: string): never {
  throw conflict(`This booking cannot be ${what} now.`);
}

/** The helper accepts a request (or the customer accepts the time the helper proposed). */
export async function acceptBooking(deps: Deps, id: number, actor: Actor) {
  const { row, access, abilities } = await bookingFor(deps, id, actor);
  requirePrivilege(access, "booking.accept", "You cannot accept bookings in this community.");
  const now = deps.clock.now();
  // A time that has begun is refused on startsAt (422), though abilities.accept is already false then.
  checkFuture(now, row);
  if (!abilities.accept) refuse("accepted by you");
  await deps.db.transaction().execute(async (trx) => {
    await q.lockHelper(trx, deps.dialect, row.helperId);
    // Read under the helper's lock: a suspension deciding at the same moment is seen here.
    if (!(await helperSells(trx, row.communityId, row.helperId, now))) throw notSelling();
    if (!(await certifiedFor(trx, row.serviceId, row.helperId, now))) throw notCertified();
    await checkFree(trx, row.helperId, row, id);
    await transition(
      trx,
      id,
      "requested",
      { status: "accepted", updatedAt: now },
      // The time accepted is the one the accepting party saw: a proposal made meanwhile wins (409).
      { awaiting: row.awaiting, answeredAt: now, at: row },
    );
    await scheduleReminder({ db: trx, clock: deps.clock }, id, row.startsAt);
    await announce(trx, deps, id, "booking_accepted", actor, `accepted:${id}`);
  });
  deps.wakeJobs?.();
  return (await getBooking(deps, id, actor)).booking;
}

export async function declineBooking(deps: Deps, id: number, actor: Actor, reason: string) {
  const { abilities } = await bookingFor(deps, id, actor);
  if (!abilities.decline) refuse("declined by you");
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await transition(
      trx,
      id,
      "requested",
      { status: "declined", reason: reason || null, updatedAt: now },
      { answeredAt: now },
    );
    await announce(trx, deps, id, "booking_declined", actor, `declined:${id}`, reason || undefined);
  });
  deps.wakeJobs?.();
  return (await getBooking(deps, id, actor)).booking;
}

/** The helper proposes another time; now the customer must answer (and has 48 hours for it). */
export async function proposeTime(deps: Deps, id: number, actor: Actor, interval: Interval) {
  const { row, abilities } = await bookingFor(deps, id, actor);
  if (!abilities.propose) refuse("moved by you");
  const now = deps.clock.now();
  checkNewTime(now, interval);
  const respondBy = now + ANSWER_WITHIN_MS;
  await deps.db.transaction().execute(async (trx) => {
    await q.lockHelper(trx, deps.dialect, row.helperId);
    if (!(await helperSells(trx, row.communityId, row.helperId, now))) throw notSelling();
    await checkFree(trx, row.helperId, interval, id);
    await transition(
      trx,
      id,
      "requested",
      { ...interval, awaiting: "customer", respondBy, updatedAt: now },
      { answeredAt: now },
    );
    await scheduleExpiry({ db: trx, clock: deps.clock }, id, respondBy);
    await announce(trx, deps, id, "booking_proposed", actor, `proposed:${id}:${now}`);
  });
  deps.wakeJobs?.();
  return (await getBooking(deps, id, actor)).booking;
}

/** An open booking whose appointment has begun is no longer cancelled (409, explained for forms). */
const appointmentBegun = () =>
  new AppError("conflict", "This booking's appointment has begun; it can no longer be cancelled.", undefined, {
    key: "market.error.cancelBegun",
  });

/**
 * Either side cancels with a reason, until the appointment begins; after the free-cancellation
 * deadline the cancellation is marked late.
 */
export async function cancelBooking(deps: Deps, id: number, actor: Actor, reason: string) {
  const { row, party, abilities } = await bookingFor(deps, id, actor);
  if (!abilities.cancel) {
    const open = row.status === "requested" || row.status === "accepted";
    if (open && party !== "staff" && deps.clock.now() >= row.startsAt) throw appointmentBegun();
    refuse("cancelled by you");
  }
  await deps.db.transaction().execute((trx) => cancelInTransaction(trx, deps, row, actor, reason));
  deps.wakeJobs?.();
  return (await getBooking(deps, id, actor)).booking;
}

/**
 * Cancels an open booking on behalf of one of its parties inside the caller's transaction, and tells
 * the other party; after the free-cancellation deadline the cancellation is marked late. The reason
 * goes with the notification unless `excerpt` says otherwise (null: none).
 */
export async function cancelInTransaction(
  trx: Db,
  deps: Pick<Deps, "clock">,
  b: { id: number; status: BookingStatus; startsAt: number; communityId: number },
  actor: Pick<Actor, "id" | "name">,
  reason: string,
  excerpt: string | null = reason,
): Promise<void> {
  const now = deps.clock.now();
  const { freeCancelHours } = await settingsOf(trx, b.communityId);
  const late = b.status === "accepted" && now > b.startsAt - freeCancelHours * 3600_000;
  await transition(trx, b.id, b.status, {
    status: "cancelled",
    reason,
    cancelledBy: actor.id,
    lateCancellation: late ? 1 : 0,
    updatedAt: now,
  });
  await announce(trx, deps, b.id, "booking_cancelled", actor, `cancelled:${b.id}`, excerpt ?? undefined);
}

/**
 * The helper completes an accepted job: the agreed price and payment method are recorded, the platform fee computed.
 */
export async function completeBooking(deps: Deps, id: number, actor: Actor, input: CompleteInput) {
  const { row, abilities } = await bookingFor(deps, id, actor);
  if (row.status !== "accepted" || row.helperId !== actor.id) refuse("completed by you");
  if (!abilities.complete) throw conflict("A booking can be completed once its appointment has begun.");
  if (input.hours !== undefined && row.priceUnit !== "hour")
    throw validationFailed({ hours: "Hours apply to hourly prices only." });
  const now = deps.clock.now();
  const { platformFeePercent } = await settingsOf(deps.db, row.communityId);
  await deps.db.transaction().execute(async (trx) => {
    await transition(trx, id, "accepted", { status: "completed", updatedAt: now });
    // Ended: a customer who has left keeps no contact details here any more (eraseCustomerContact).
    await eraseContactOfLeftCustomer(trx, id);
    await recordPayment(trx, PAYMENT_METHODS[input.method], {
      bookingId: id,
      communityId: row.communityId,
      helperId: row.helperId,
      amountCents: agreedAmount(row, input.hours),
      currency: row.currency,
      feePercent: platformFeePercent,
      now,
    });
    await trx
      .updateTable("helpers")
      .set((eb) => ({ completedCount: eb("completedCount", "+", 1) }))
      .where("communityId", "=", row.communityId)
      .where("userId", "=", row.helperId)
      .execute();
    await announce(trx, deps, id, "booking_completed", actor, `completed:${id}`);
  });
  deps.wakeJobs?.();
  return (await getBooking(deps, id, actor)).booking;
}

/** The customer confirms the recorded payment. */
export async function confirmPayment(deps: Deps, id: number, actor: Actor) {
  const { abilities } = await bookingFor(deps, id, actor);
  const nothingToConfirm = () => conflict("There is no payment for you to confirm.");
  if (!abilities.confirmPayment) throw nothingToConfirm();
  const result = await deps.db
    .updateTable("payments")
    .set({ confirmedAt: deps.clock.now() })
    .where("bookingId", "=", id)
    .where("confirmedAt", "is", null)
    // Voided by staff meanwhile (an upheld problem report): nothing is owed any more.
    .where("voidedAt", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    const payment = await deps.db
      .selectFrom("payments")
      .select("voidedAt")
      .where("bookingId", "=", id)
      .executeTakeFirst();
    throw payment?.voidedAt == null ? conflict("The payment is already confirmed.") : nothingToConfirm();
  }
  return (await getBooking(deps, id, actor)).booking;
}

export async function postMessage(deps: Deps, id: number, actor: Actor, body: string) {
  const { access, abilities } = await bookingFor(deps, id, actor);
  requirePrivilege(access, "booking.message", "You cannot write in bookings of this community.");
  if (!abilities.message) throw conflict("Messages are closed for this booking.");
  const now = deps.clock.now();
  // Each message notifies the other party: limited like posts.
  await hitRateLimit(deps.db, `booking-message:${actor.id}`, deps.config.rateLimits.post, now);
  const message = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("bookingMessages")
      .values({ bookingId: id, authorId: actor.id, body, createdAt: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await announce(trx, deps, id, "booking_message", actor, `message:${row.id}`, body.slice(0, 200));
    return row;
  });
  deps.wakeJobs?.();
  return {
    id: message.id,
    author: { id: actor.id, name: actor.name },
    body: message.body,
    createdAt: iso(message.createdAt)!,
  };
}

export async function myBookings(deps: Deps, actor: Actor, communityId: number) {
  const rows = await q.bookingsOf(deps.db, actor.id, communityId);
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    role: r.customerId === actor.id ? ("customer" as const) : ("helper" as const),
    service: r.serviceName,
    with: r.customerId === actor.id ? r.helperName : r.customerName,
    startsAt: iso(r.startsAt)!,
    endsAt: iso(r.endsAt)!,
  }));
}

/**
 * A member leaves: their open bookings, as customer or as helper, are cancelled on their behalf and
 * the other party is told, as with any cancellation. Pass the transaction of the account's deletion.
 * Only those whose appointment is still ahead: one that has begun is no longer cancelled, by anyone
 * (see bookingAbilities.cancel). It takes its course: an accepted one is completed by its helper, or
 * reported to staff (a no-show, the work not done) by the party still here; a request expires.
 */
export async function cancelOpenBookingsOf(
  trx: Db,
  deps: Pick<Deps, "clock">,
  member: Pick<Actor, "id" | "name">,
): Promise<number> {
  const open = await trx
    .selectFrom("bookings")
    .select(["id", "status", "startsAt", "communityId"])
    .where((eb) => eb.or([eb("customerId", "=", member.id), eb("helperId", "=", member.id)]))
    .where("status", "in", ["requested", "accepted"])
    .where("startsAt", ">", deps.clock.now())
    .orderBy("id")
    .execute();
  // The notification carries no excerpt: the booking page shows the reason in the reader's language.
  for (const b of open) await cancelInTransaction(trx, deps, b, member, ACCOUNT_DELETED_REASON, null);
  return open.length;
}
