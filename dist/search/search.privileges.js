import { definePrivileges } from "../access/privileges.js";
import { MODERATORS, STAFF_AND_MODERATORS } from "../access/access.js";
/** Duplicates, the knowledge base and deflection figures. */
export const searchPrivileges = definePrivileges({
    "topic.markDuplicate": { roles: MODERATORS, kudos: 500, champions: true },
    /** Write, promote and edit knowledge base articles. */
    "article.write": { roles: STAFF_AND_MODERATORS },
    /** See the deflection statistics. */
    "stats.deflection": { roles: STAFF_AND_MODERATORS },
});
