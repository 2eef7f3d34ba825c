import { SOLVABLE_KINDS } from "../topics/index.js";
/** A community's routing parameters when its admins set none. */
export const ROUTING_DEFAULTS = {
    /** Experts a question is offered to at once (N). */
    experts: 3,
    /** Offer it to the next experts when none of these answered within this time. */
    rerouteAfterMinutes: 24 * 60,
    /** Experts holding this many open routed questions get no more (load balancing). */
    maxOpen: 5,
};
/** Members without a topic or reply in the community for this long are not routed to. */
export const INACTIVE_AFTER_MS = 30 * 86_400_000;
/** Offers per question: the first experts, then the next ones twice at most. */
export const MAX_ROUNDS = 3;
/**
 * Questions the crowd is asked to answer: solvable, in a crowd category, neither solved nor with
 * staff nor abandoned, and open to replies (not held for review, hidden or locked).
 */
export function isRoutable(topic) {
    return (SOLVABLE_KINDS.includes(topic.kind) &&
        (topic.categoryScope ?? "crowd") === "crowd" &&
        (topic.status === "open" || topic.status === "answered") &&
        topic.moderationState === "visible" &&
        topic.locked !== 1);
}
