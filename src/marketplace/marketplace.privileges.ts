import { definePrivileges } from "../access/privileges.ts";
import { STAFF_AND_MODERATORS, STAFF_ROLES } from "../access/access.ts";
import type { KeysOf } from "../core/types.ts";

/**
 * The marketplace's privileges. Taking part (booking, messaging, taking jobs, applying, reviewing,
 * flagging) is every participant's, and a suspension stops each of them; declining or cancelling
 * a booking is left to a suspended party, so nobody waits on them.
 */
export const marketplacePrivileges = definePrivileges({
  /** Book a helper's offer. */
  "booking.request": { anyParticipant: true },
  /** Accept a booking request (the helper) or a proposed time (the customer); the helper then sees the contact. */
  "booking.accept": { anyParticipant: true },
  /** Write in a booking's conversation. */
  "booking.message": { anyParticipant: true },
  /** Describe a job to be dispatched to nearby helpers. */
  "job.request": { anyParticipant: true },
  /** Take a dispatched job (a helper it was offered to). */
  "job.accept": { anyParticipant: true },
  /** Publish an offer (an approved service friend; a banned or suspended one sells nothing). */
  "offer.publish": { anyParticipant: true },
  /** Apply (or re-apply) to become a service friend. */
  "helper.apply": { anyParticipant: true },
  /** Review a completed booking, or answer a review as its helper. */
  "review.write": { anyParticipant: true },
  /** Flag a review for staff. */
  "review.flag": { anyParticipant: true },
  /** Review applications: approve, reject, ask for changes, suspend. */
  "application.review": { roles: STAFF_AND_MODERATORS },
  /** Maintain the service catalog. */
  "service.manage": { roles: STAFF_ROLES },
  /** Change currency, platform fee, cancellation deadline, questionnaire. */
  "settings.manage": { roles: ["admin"] },
  /** Export payout statements. */
  "payout.export": { roles: STAFF_ROLES },
  /** Handle dispatched jobs nobody took, see bookings and flagged reviews. */
  "market.staff": { roles: STAFF_AND_MODERATORS },
});

declare module "../access/privileges.ts" {
  interface Privileges extends KeysOf<typeof marketplacePrivileges> {}
}
