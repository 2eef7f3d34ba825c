import { definePrivileges } from "../access/privileges.js";
import { STAFF_AND_MODERATORS, STAFF_ROLES } from "../access/access.js";
/** Kudos ledgers, the champions program and rewards. */
export const reputationPrivileges = definePrivileges({
    /** A member's kudos ledger and reward balance. */
    "kudos.ledger": { owner: true, roles: STAFF_AND_MODERATORS, whileSuspended: true },
    "champion.enrol": { roles: STAFF_AND_MODERATORS },
    "reward.redeem": { anyParticipant: true },
    "reward.manage": { roles: STAFF_ROLES },
    "reward.fulfil": { roles: STAFF_ROLES },
});
