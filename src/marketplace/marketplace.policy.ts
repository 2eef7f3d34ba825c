import type { BookingProblemKind, BookingStatus } from "../db/schema.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";

/** What the viewer may do in a community's marketplace; every marketplace page draws its staff links from it. */
export function marketAbilities(access: CommunityAccess) {
  return {
    /** The staff desk: applications, unassigned jobs, flagged reviews. */
    staff: can(access, "market.staff"),
    services: can(access, "service.manage"),
    settings: can(access, "settings.manage"),
    payouts: can(access, "payout.export"),
  };
}

/** What the viewer may do with a review on a helper's profile: its helper answers once, participants flag it. */
export function reviewAbilities(access: CommunityAccess, review: { helperId: number; response: string | null }) {
  return {
    respond: access.actor?.id === review.helperId && review.response === null && can(access, "review.write"),
    flag: can(access, "review.flag"),
  };
}

export interface BookingFacts {
  status: BookingStatus;
  awaiting: "helper" | "customer";
  helperId: number;
  customerId: number;
  startsAt: number;
  /** Until when a `requested` booking may be answered; after it, the request is as good as expired. */
  respondBy: number;
  /** Whether the helper is an approved service friend in good standing in the community (not suspended, not banned). */
  helperSells: boolean;
  /** Whether the helper holds the certification the service requires, if any. */
  helperCertified: boolean;
  paymentRecorded: boolean;
  paymentConfirmed: boolean;
  /** Voided by staff upholding a reported problem: nothing to confirm any more. */
  paymentVoided: boolean;
  /** When a `completed` booking was completed (its payment recorded), else null. */
  completedAt: number | null;
  /** Whether a reported problem waits for staff (one at a time). */
  openProblem: boolean;
  reviewed: boolean;
  responded: boolean;
}

/** The reason recorded on the bookings called off because a party deleted their account; pages translate it. */
export const ACCOUNT_DELETED_REASON = "The member deleted their account.";

/**
 * The reason recorded on an accepted booking cancelled by staff upholding a work or payment report
 * before its completion (see upholdEffects); pages translate it.
 */
export const PROBLEM_UPHELD_REASON = "Staff upheld a problem reported with this booking.";

export type BookingParty = "customer" | "helper" | "staff" | null;

/** How long after completion a problem with a completed booking may still be reported. */
export const PROBLEM_WINDOW_DAYS = 14;

/**
 * What may be reported with a booking at `now`: anything once an accepted booking's appointment has
 * begun; a completed one's work, payment or anything else (the visit took place: no no-show) within
 * PROBLEM_WINDOW_DAYS of its completion; nothing otherwise.
 */
export function problemKinds(
  b: Pick<BookingFacts, "status" | "startsAt" | "completedAt">,
  now: number,
): BookingProblemKind[] {
  if (b.status === "accepted" && now >= b.startsAt) return ["no_show", "not_done", "payment", "other"];
  if (b.status === "completed" && b.completedAt !== null && now <= b.completedAt + PROBLEM_WINDOW_DAYS * 86_400_000)
    return ["not_done", "payment", "other"];
  return [];
}

export function partyOf(
  booking: { helperId: number; customerId: number },
  userId: number | undefined,
  isStaff: boolean,
): BookingParty {
  if (userId === booking.customerId) return "customer";
  if (userId === booking.helperId) return "helper";
  return isStaff ? "staff" : null;
}

/**
 * What one party may do with a booking; the API returns it and the pages draw buttons from it.
 * A suspended party may still decline, cancel (before the appointment) and complete, but not accept, write or review,
 * and a suspended helper does not see the customer's contact. Nobody accepts for a helper who is
 * not (or no longer) selling, nor a time that has begun, and a request past its answer deadline is
 * answered by nobody.
 */
export function bookingAbilities(b: BookingFacts, party: BookingParty, now: number, access: CommunityAccess) {
  const open = b.status === "requested" || b.status === "accepted";
  const answerable = b.status === "requested" && b.respondBy > now;
  const answering = answerable && (party === "helper" || party === "customer") && b.awaiting === party;
  const mayAccept = can(access, "booking.accept");
  return {
    accept: answering && now < b.startsAt && mayAccept && b.helperSells && b.helperCertified,
    decline: answering,
    propose: answerable && party === "helper" && b.helperSells && b.helperCertified,
    /** Until the appointment begins: then an accepted booking is completed, a request expires. */
    cancel: open && (party === "helper" || party === "customer") && now < b.startsAt,
    complete: b.status === "accepted" && party === "helper" && now >= b.startsAt,
    message:
      (open || b.status === "completed") &&
      (party === "helper" || party === "customer") &&
      can(access, "booking.message"),
    /** The customer's address and phone: the customer, staff, and the helper once accepted. */
    seeContact:
      party === "customer" ||
      party === "staff" ||
      (party === "helper" && (b.status === "accepted" || b.status === "completed") && mayAccept && b.helperSells),
    confirmPayment: party === "customer" && b.paymentRecorded && !b.paymentConfirmed && !b.paymentVoided,
    /**
     * Report a problem to staff (either party; also a suspended one, as with cancelling): one open
     * report at a time, what problemKinds allows.
     */
    report: (party === "helper" || party === "customer") && !b.openProblem && problemKinds(b, now).length > 0,
    review: party === "customer" && b.status === "completed" && !b.reviewed && can(access, "review.write"),
    respond: party === "helper" && b.reviewed && !b.responded && can(access, "review.write"),
  };
}

export type BookingAbilities = ReturnType<typeof bookingAbilities>;
