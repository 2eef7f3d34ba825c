import { can } from "../access/privileges.js";
/** Who may do what in moderation, as small pure functions over the actor's access and standing. */
export const REVIEW_ACTIONS = ["approve", "hide", "delete", "edit", "warn"];
/** The privilege each review-queue action needs. */
export const REVIEW_ACTION_PRIVILEGE = {
    approve: "review.queue",
    hide: "review.queue",
    edit: "review.queue",
    delete: "post.delete",
    warn: "member.warn",
};
export function canReview(access, action) {
    return can(access, "review.queue") && can(access, REVIEW_ACTION_PRIVILEGE[action]);
}
const TEAM = ["staff", "moderator", "admin"];
/** Staff, moderators and champions post without approval or spam screening. */
export function exemptFromScreening(access) {
    return (access.role !== null && TEAM.includes(access.role)) || access.standing?.champion === true;
}
/** Flags from the team, champions and members with enough kudos count toward hiding a post. */
export function isTrustedFlagger(access, settings) {
    return exemptFromScreening(access) || (access.standing?.kudos ?? 0) >= settings.trustedFlaggerKudos;
}
/** Moderators suspend members; only admins suspend staff and moderators; admins and oneself never. */
export function canSuspend(access, target) {
    if (!can(access, "member.suspend") || target.id === access.actor?.id || target.isPlatformAdmin)
        return false;
    if (target.role === "member")
        return true;
    return target.role !== "admin" && access.role === "admin";
}
