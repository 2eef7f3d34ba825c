import { installPrivileges } from "../access/privileges.js";
import { academyPrivileges } from "../academy/academy.privileges.js";
import { communityPrivileges } from "../communities/communities.privileges.js";
import { escalationPrivileges } from "../escalation/escalation.privileges.js";
import { marketplacePrivileges } from "../marketplace/marketplace.privileges.js";
import { moderationPrivileges } from "../moderation/moderation.privileges.js";
import { reputationPrivileges } from "../reputation/reputation.privileges.js";
import { routingPrivileges } from "../routing/routing.privileges.js";
import { searchPrivileges } from "../search/search.privileges.js";
import { topicPrivileges } from "../topics/topics.privileges.js";
/** Every domain's privilege table, one line each; `can()` answers from their union. */
export const PRIVILEGE_TABLES = [
    communityPrivileges,
    topicPrivileges,
    moderationPrivileges,
    reputationPrivileges,
    searchPrivileges,
    routingPrivileges,
    escalationPrivileges,
    academyPrivileges,
    marketplacePrivileges,
];
export function installAllPrivileges() {
    installPrivileges(PRIVILEGE_TABLES);
}
