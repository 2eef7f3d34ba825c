import { registerAssets } from "../web/assets.js";
import { registerPages } from "../web/page-route.js";
import { accountPages } from "../accounts/accounts.pages.js";
import { communityPages } from "../communities/communities.pages.js";
import { topicPages } from "../topics/topics.pages.js";
import { topicEditPages } from "../topics/topics.edit.pages.js";
import { notificationPages } from "../notifications/notifications.pages.js";
import { searchPages } from "../search/search.pages.js";
import { routingPages } from "../routing/routing.pages.js";
import { escalationPages } from "../escalation/escalation.pages.js";
import { supportSettingsPages } from "../escalation/settings.pages.js";
import { academyPages } from "../academy/academy.pages.js";
import { marketplacePages, marketplaceUploads } from "../marketplace/marketplace.pages.js";
import { reputationPages } from "../reputation/reputation.pages.js";
import { moderationPages } from "../moderation/moderation.pages.js";
import { DOMAIN_ASSETS } from "./layout.js";
/** Every HTML page of the product, one line per domain's list. */
export async function registerWeb(app, deps) {
    registerAssets(app, DOMAIN_ASSETS);
    registerPages(app, [
        ...accountPages(deps),
        ...communityPages(deps),
        ...topicPages(deps),
        ...topicEditPages(deps),
        ...notificationPages(deps),
        ...searchPages(deps),
        ...routingPages(deps),
        ...escalationPages(deps),
        ...supportSettingsPages(deps),
        ...reputationPages(deps),
        ...moderationPages(deps),
        ...academyPages(deps),
        ...marketplacePages(deps),
    ]);
    // The application form takes a photo: multipart, parsed in a scope of its own.
    await app.register(marketplaceUploads(deps));
}
