import { installCatalogs } from "../i18n/i18n.js";
import { academyMessages } from "../academy/messages/index.js";
import { accountsMessages } from "../accounts/messages/index.js";
import { communitiesMessages } from "../communities/messages/index.js";
import { escalationMessages } from "../escalation/messages/index.js";
import { marketplaceMessages } from "../marketplace/messages/index.js";
import { moderationMessages } from "../moderation/messages/index.js";
import { notificationsMessages } from "../notifications/messages/index.js";
import { reputationMessages } from "../reputation/messages/index.js";
import { routingMessages } from "../routing/messages/index.js";
import { searchMessages } from "../search/messages/index.js";
import { topicsMessages } from "../topics/messages/index.js";
import { webMessages } from "../web/messages/index.js";
/** Every catalog of every domain, one line each. */
export const CATALOGS = [
    webMessages,
    accountsMessages,
    communitiesMessages,
    topicsMessages,
    notificationsMessages,
    searchMessages,
    routingMessages,
    escalationMessages,
    reputationMessages,
    moderationMessages,
    academyMessages,
    marketplaceMessages,
];
export function installAllCatalogs() {
    installCatalogs(CATALOGS);
}
