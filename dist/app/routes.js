import { accountRoutes } from "../accounts/accounts.routes.js";
import { communityRoutes } from "../communities/communities.routes.js";
import { topicRoutes } from "../topics/topics.routes.js";
import { notificationRoutes } from "../notifications/notifications.routes.js";
import { liveRoutes } from "../notifications/live.routes.js";
import { searchRoutes } from "../search/search.routes.js";
import { routingRoutes } from "../routing/routing.routes.js";
import { escalationRoutes } from "../escalation/escalation.routes.js";
import { academyRoutes } from "../academy/academy.routes.js";
import { marketplaceRoutes } from "../marketplace/marketplace.routes.js";
import { bookingRoutes } from "../marketplace/bookings.routes.js";
import { reputationRoutes } from "../reputation/reputation.routes.js";
import { moderationRoutes } from "../moderation/moderation.routes.js";
/** Every route of the JSON API, one line per domain's list (the OpenAPI document is built from it). */
export function apiRoutes(deps, hub) {
    return [
        ...accountRoutes(deps),
        ...communityRoutes(deps),
        ...topicRoutes(deps),
        ...notificationRoutes(deps),
        ...liveRoutes(deps, hub),
        ...searchRoutes(deps),
        ...routingRoutes(deps),
        ...escalationRoutes(deps),
        ...academyRoutes(deps),
        ...marketplaceRoutes(deps),
        ...bookingRoutes(deps),
        ...reputationRoutes(deps),
        ...moderationRoutes(deps),
    ];
}
