import { isParticipant } from "../access/access.js";
import { can } from "../access/privileges.js";
/** What the viewer may do in a community's marketplace; every marketplace page draws its staff links from it. */
export function marketAbilities(access) {
    return {
        /** The staff desk: applications, unassigned jobs, flagged reviews. */
        staff: can(access, "market.staff"),
        services: can(access, "service.manage"),
        settings: can(access, "settings.manage"),
        payouts: can(access, "payout.export"),
    };
}
/** What the viewer may do with a review on a helper's profile: its helper answers once, participants flag it. */
export function reviewAbilities(access, review) {
    return {
        respond: access.actor?.id === review.helperId && review.response === null,
        flag: isParticipant(access),
    };
}
export function partyOf(booking, userId, isStaff) {
    if (userId === booking.customerId)
        return "customer";
    if (userId === booking.helperId)
        return "helper";
    return isStaff ? "staff" : null;
}
/** What one party may do with a booking; the API returns it and the pages draw buttons from it. */
export function bookingAbilities(b, party, now) {
    const open = b.status === "requested" || b.status === "accepted";
    const answering = b.status === "requested" && (party === "helper" || party === "customer") && b.awaiting === party;
    return {
        accept: answering,
        decline: answering,
        propose: b.status === "requested" && party === "helper",
        cancel: open && (party === "helper" || party === "customer"),
        complete: b.status === "accepted" && party === "helper" && now >= b.startsAt,
        message: open || b.status === "completed" ? party === "helper" || party === "customer" : false,
        /** The customer's address and phone: the customer, staff, and the helper once accepted. */
        seeContact: party === "customer" ||
            party === "staff" ||
            (party === "helper" && (b.status === "accepted" || b.status === "completed")),
        confirmPayment: party === "customer" && b.paymentRecorded && !b.paymentConfirmed,
        review: party === "customer" && b.status === "completed" && !b.reviewed,
        respond: party === "helper" && b.reviewed && !b.responded,
    };
}
