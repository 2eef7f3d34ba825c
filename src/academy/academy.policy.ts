import type { CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";

/** What the viewer may do in a community's academy: the API returns it and the pages draw buttons from it. */
export function academyAbilities(access: CommunityAccess) {
  return { create: can(access, "course.create") };
}

/** The next attempt a member may make, given the course's rules and their attempts since their last certification. */
export function attemptState(
  course: { maxAttempts: number; cooldownMinutes: number },
  attempts: { createdAt: number }[],
  certified: boolean,
  now: number,
): { attemptsLeft: number; nextAttemptAt: number | null; canAttempt: boolean } {
  const attemptsLeft = Math.max(0, course.maxAttempts - attempts.length);
  const last = attempts.reduce((latest, a) => Math.max(latest, a.createdAt), 0);
  const nextAttemptAt = last && course.cooldownMinutes ? last + course.cooldownMinutes * 60_000 : null;
  // A wait matters only where an attempt may follow it: none is promised once certified or out of attempts.
  const waiting = !certified && attemptsLeft > 0 && nextAttemptAt !== null && nextAttemptAt > now;
  return {
    attemptsLeft,
    nextAttemptAt: waiting ? nextAttemptAt : null,
    canAttempt: !certified && attemptsLeft > 0 && !waiting,
  };
}
