import { definePrivileges } from "../access/privileges.js";
import { STAFF_ROLES } from "../access/access.js";
/** "Staff" are the roles that speak for the company: staff and admins (platform admins count as admins). */
export const routingPrivileges = definePrivileges({
    /** Routing quality figures. */
    "stats.routing": { roles: STAFF_ROLES },
    /** Routing parameters and the outgoing webhook. */
    "support.configure": { roles: ["admin"] },
});
