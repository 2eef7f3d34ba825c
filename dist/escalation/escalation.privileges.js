import { definePrivileges } from "../access/privileges.js";
import { STAFF_ROLES } from "../access/access.js";
export const escalationPrivileges = definePrivileges({
    /** The staff queue: list, assign, notes, escalate, de-escalate, resolve; webhook deliveries. */
    "queue.work": { roles: STAFF_ROLES },
});
