import { definePrivileges } from "../access/privileges.ts";
import { STAFF_ROLES } from "../access/access.ts";
import type { KeysOf } from "../core/types.ts";

export const academyPrivileges = definePrivileges({
  /** Create courses and quizzes. */
  "course.create": { roles: STAFF_ROLES },
  /** Take a course's quiz; a suspension stops it. */
  "course.attempt": { anyParticipant: true },
});

declare module "../access/privileges.ts" {
  interface Privileges extends KeysOf<typeof academyPrivileges> {}
}
