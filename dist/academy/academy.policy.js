import { can } from "../access/privileges.js";
/** What the viewer may do in a community's academy: the API returns it and the pages draw buttons from it. */
export function academyAbilities(access) {
    return { create: can(access, "course.create") };
}
/** The next attempt a member may make, given the course's rules and their attempts since their last certification. */
export function attemptState(course, attempts, certified, now) {
    const attemptsLeft = Math.max(0, course.maxAttempts - attempts.length);
    const last = attempts.reduce((latest, a) => Math.max(latest, a.createdAt), 0);
    const nextAttemptAt = last && course.cooldownMinutes ? last + course.cooldownMinutes * 60_000 : null;
    const waiting = nextAttemptAt !== null && nextAttemptAt > now;
    return {
        attemptsLeft,
        nextAttemptAt: waiting ? nextAttemptAt : null,
        canAttempt: !certified && attemptsLeft > 0 && !waiting,
    };
}
