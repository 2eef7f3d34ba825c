import { isStaffRole } from "../access/access.js";
import { can, canSeeCategory } from "../access/privileges.js";
/** Kinds that can have an accepted solution; ideas and praise are not problems to solve. */
export const SOLVABLE_KINDS = ["question", "problem"];
/**
 * The category's scope decides who answers: anyone in a crowd category; in staff-only and private
 * categories only staff, and the asker (follow-ups on their own topic). Replies and comments alike.
 */
export function mayAnswerIn(access, topic) {
    if ((topic.categoryScope ?? "crowd") === "crowd")
        return true;
    return isStaffRole(access.role) || (access.actor !== null && access.actor.id === topic.authorId);
}
/** A locked topic takes no new replies or comments, whoever asks. */
export const isLocked = (topic) => topic.locked === 1;
/**
 * Visible posts are for everyone who sees the topic; a held or hidden post only for its author and
 * for reviewers; deleted and merged ones for nobody.
 */
export function canSeePost(access, post) {
    const state = post.moderationState ?? "visible";
    if (state === "visible")
        return true;
    if (state !== "pending" && state !== "hidden")
        return false;
    return access.actor?.id === post.authorId || can(access, "review.queue");
}
/** Champions-only categories are for champions and staff. */
export { canSeeCategory };
/** What the viewer may do with a topic; the API returns it and the pages draw buttons from it. */
export function topicAbilities(access, topic) {
    return {
        edit: can(access, "topic.edit", topic.authorId),
        reply: can(access, "reply.create") && mayAnswerIn(access, topic) && !isLocked(topic),
        vote: can(access, "topic.vote", topic.authorId),
        accept: SOLVABLE_KINDS.includes(topic.kind) && can(access, "topic.accept", topic.authorId),
        follow: can(access, "topic.follow"),
        flag: can(access, "post.flag", topic.authorId),
        retag: can(access, "topic.retag", topic.authorId),
        lock: can(access, "topic.lock"),
        move: can(access, "topic.move"),
        merge: can(access, "topic.merge"),
        hide: can(access, "post.hide"),
    };
}
export function replyAbilities(access, topic, topicAbilities, reply) {
    return {
        edit: can(access, "reply.edit", reply.authorId),
        vote: can(access, "reply.vote", reply.authorId),
        comment: can(access, "comment.create") && mayAnswerIn(access, topic) && !isLocked(topic),
        accept: topicAbilities.accept,
        flag: can(access, "post.flag", reply.authorId),
        hide: can(access, "post.hide"),
    };
}
