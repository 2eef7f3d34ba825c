import { definePrivileges } from "../access/privileges.js";
import { STAFF_AND_MODERATORS, STAFF_ROLES } from "../access/access.js";
/** Staff privileges of the marketplace. */
export const marketplacePrivileges = definePrivileges({
    /** Review applications: approve, reject, ask for changes, suspend. */
    "application.review": { roles: STAFF_AND_MODERATORS },
    /** Maintain the service catalog. */
    "service.manage": { roles: STAFF_ROLES },
    /** Change currency, platform fee, cancellation deadline, questionnaire. */
    "settings.manage": { roles: ["admin"] },
    /** Export payout statements. */
    "payout.export": { roles: STAFF_ROLES },
    /** Handle dispatched jobs nobody took, see bookings and flagged reviews. */
    "market.staff": { roles: STAFF_AND_MODERATORS },
});
