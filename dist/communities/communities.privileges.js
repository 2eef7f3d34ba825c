import { definePrivileges } from "../access/privileges.js";
import { STAFF_AND_MODERATORS } from "../access/access.js";
/** Running a community: its categories, members' roles, settings and audit log. */
export const communityPrivileges = definePrivileges({
    "category.create": { roles: ["admin"] },
    "member.setRole": { roles: ["admin"] },
    /** See and post in champions-only categories. */
    "category.champions": { roles: STAFF_AND_MODERATORS, champions: true },
    /** Kudos values, ranks, thresholds and moderation settings. */
    "community.configure": { roles: ["admin"] },
    "audit.view": { roles: ["admin"] },
});
