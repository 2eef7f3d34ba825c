import type { Deps } from "../core/deps.ts";
import type { LiveHub } from "../core/live-hub.ts";
import type { AnyApiRoute } from "../http/api.ts";
import { accountRoutes } from "../accounts/accounts.routes.ts";
import { meRoutes } from "../accounts/accounts.me.routes.ts";
import { communityRoutes } from "../communities/communities.routes.ts";
import { topicRoutes } from "../topics/topics.routes.ts";
import { notificationRoutes } from "../notifications/notifications.routes.ts";
import { liveRoutes } from "../notifications/live.routes.ts";
import { searchRoutes } from "../search/search.routes.ts";
import { routingRoutes } from "../routing/routing.routes.ts";
import { ideaRoutes } from "../ideas/ideas.routes.ts";
import { pollRoutes } from "../polls/polls.routes.ts";
import { escalationRoutes } from "../escalation/escalation.routes.ts";
import { academyRoutes } from "../academy/academy.routes.ts";
import { marketplaceRoutes } from "../marketplace/marketplace.routes.ts";
import { bookingRoutes } from "../marketplace/bookings.routes.ts";
import { reputationRoutes } from "../reputation/reputation.routes.ts";
import { moderationRoutes } from "../moderation/moderation.routes.ts";
import { insightsRoutes } from "../insights/insights.routes.ts";
import { transferRoutes } from "../transfer/transfer.routes.ts";
import { ssoRoutes } from "../sso/sso.routes.ts";
import { editorRoutes } from "../editor/editor.routes.ts";

/** Every route of the JSON API, one line per domain's list (the OpenAPI document is built from it). */
export function apiRoutes(deps: Deps, hub: LiveHub): AnyApiRoute[] {
  return [
    ...accountRoutes(deps),
    ...meRoutes(deps),
    ...communityRoutes(deps),
    ...topicRoutes(deps),
    ...notificationRoutes(deps),
    ...liveRoutes(deps, hub),
    ...searchRoutes(deps),
    ...routingRoutes(deps),
    ...escalationRoutes(deps),
    ...ideaRoutes(deps),
    ...pollRoutes(deps),
    ...academyRoutes(deps),
    ...marketplaceRoutes(deps),
    ...bookingRoutes(deps),
    ...reputationRoutes(deps),
    ...moderationRoutes(deps),
    ...insightsRoutes(deps),
    ...transferRoutes(deps),
    ...ssoRoutes(deps),
    ...editorRoutes(deps),
  ];
}
