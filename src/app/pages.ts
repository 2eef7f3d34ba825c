import type { FastifyInstance } from "fastify";
import type { Deps } from "../core/deps.ts";
import { registerAssets } from "../web/assets.ts";
import { registerAccountPages } from "../accounts/accounts.pages.ts";
import { registerCommunityPages } from "../communities/communities.pages.ts";
import { topicPages } from "../topics/topics.pages.ts";
import { registerPages } from "../web/page-route.ts";
import { registerTopicEditPages } from "../topics/topics.edit.pages.ts";
import { registerNotificationPages } from "../notifications/notifications.pages.ts";
import { registerSearchPages } from "../search/search.pages.ts";
import { registerRoutingPages } from "../routing/routing.pages.ts";
import { registerEscalationPages } from "../escalation/escalation.pages.ts";
import { registerSupportSettingsPages } from "../escalation/settings.pages.ts";
import { academyPages } from "../academy/academy.pages.ts";
import { marketplacePages, marketplaceUploads } from "../marketplace/marketplace.pages.ts";
import { registerReputationPages } from "../reputation/reputation.pages.ts";
import { registerModerationPages } from "../moderation/moderation.pages.ts";
import { DOMAIN_ASSETS } from "./layout.ts";

/** Every HTML page of the product; each domain registers its own. */
export async function registerWeb(app: FastifyInstance, deps: Deps): Promise<void> {
  registerAssets(app, DOMAIN_ASSETS);
  registerAccountPages(app, deps);
  registerCommunityPages(app, deps);
  registerPages(app, [...topicPages(deps)]);
  registerTopicEditPages(app, deps);
  registerNotificationPages(app, deps);
  registerSearchPages(app, deps);
  registerRoutingPages(app, deps);
  registerEscalationPages(app, deps);
  registerSupportSettingsPages(app, deps);
  registerPages(app, academyPages(deps));
  registerPages(app, marketplacePages(deps));
  await app.register(marketplaceUploads(deps));
  registerReputationPages(app, deps);
  registerModerationPages(app, deps);
}
