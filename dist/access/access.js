import { forbidden } from "../core/errors.js";
export const MODERATORS = ["moderator", "admin"];
export const STAFF_AND_MODERATORS = ["staff", "moderator", "admin"];
/** Roles that speak for the company: their replies are official, they answer staff-only and private categories. */
export const STAFF_ROLES = ["staff", "admin"];
export function isStaffRole(role) {
    return role !== null && STAFF_ROLES.includes(role);
}
export function canView(access) {
    return access.community.visibility === "public" || access.role !== null;
}
/** Logged in, and a member where membership is required; public communities let anyone take part. */
export function isParticipant(access) {
    return access.actor !== null && canView(access);
}
/** Public communities can be joined by any signed-in visitor; private ones only by an admin's invitation. */
export function canJoin(access) {
    return access.actor !== null && access.role === null && access.community.visibility === "public";
}
/** The actor's running suspension in this community, or null. */
export function suspensionOf(access) {
    const s = access.standing;
    if (s.suspendedUntil === null || s.suspendedUntil <= s.at)
        return null;
    return { until: s.suspendedUntil, reason: s.suspensionReason ?? "" };
}
/** The refusal a suspended member gets, with the end of the suspension and its reason. */
function suspendedError(suspension) {
    const until = new Date(suspension.until).toISOString().replace("T", " ").slice(0, 16);
    return forbidden(`You are suspended from this community until ${until} UTC. Reason: ${suspension.reason}`);
}
export function assertNotSuspended(access) {
    const suspension = suspensionOf(access);
    if (suspension)
        throw suspendedError(suspension);
}
