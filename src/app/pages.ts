import type { FastifyInstance } from "fastify";
import type { Deps } from "../core/deps.ts";
import { registerAssets } from "../web/assets.ts";
import { accountPages } from "../accounts/accounts.pages.ts";
import { communityPages } from "../communities/communities.pages.ts";
import { topicPages } from "../topics/topics.pages.ts";
import { registerPages } from "../web/page-route.ts";
import { topicEditPages } from "../topics/topics.edit.pages.ts";
import { notificationPages } from "../notifications/notifications.pages.ts";
import { searchPages } from "../search/search.pages.ts";
import { routingPages } from "../routing/routing.pages.ts";
import { registerEscalationPages } from "../escalation/escalation.pages.ts";
import { registerSupportSettingsPages } from "../escalation/settings.pages.ts";
import { registerAcademyPages } from "../academy/academy.pages.ts";
import { registerMarketplacePages } from "../marketplace/marketplace.pages.ts";
import { registerReputationPages } from "../reputation/reputation.pages.ts";
import { registerModerationPages } from "../moderation/moderation.pages.ts";
import { DOMAIN_ASSETS } from "./layout.ts";

/** Every HTML page of the product; each domain registers its own. */
export async function registerWeb(app: FastifyInstance, deps: Deps): Promise<void> {
  registerAssets(app, DOMAIN_ASSETS);
  registerPages(app, accountPages(deps));
  registerPages(app, communityPages(deps));
  registerPages(app, [...topicPages(deps)]);
  registerPages(app, topicEditPages(deps));
  registerPages(app, notificationPages(deps));
  registerPages(app, searchPages(deps));
  registerPages(app, routingPages(deps));
  registerEscalationPages(app, deps);
  registerSupportSettingsPages(app, deps);
  registerAcademyPages(app, deps);
  registerMarketplacePages(app, deps);
  registerReputationPages(app, deps);
  registerModerationPages(app, deps);
}
