import { definePrivileges } from "../access/privileges.js";
import { STAFF_ROLES } from "../access/access.js";
export const academyPrivileges = definePrivileges({
    /** Create courses and quizzes. */
    "course.create": { roles: STAFF_ROLES },
});
