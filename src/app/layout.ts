import { installLayoutSlots } from "../web/layout.ts";
import type { Asset } from "../web/assets.ts";
import { trustStylesheet } from "../reputation/reputation.assets.ts";
import { marketplaceStylesheet } from "../marketplace/marketplace.web.ts";
import { similarScript } from "../search/search.assets.ts";
import { ideasStylesheet } from "../ideas/ideas.assets.ts";
import { headerSearchBox } from "../search/search.views.ts";
import { notificationBell } from "../notifications/notifications.bell.ts";
import { seoHead } from "../seo/seo.head.ts";
import { insightsStylesheet } from "../insights/insights.assets.ts";
import { communityBar } from "../communities/communities.nav.ts";
import { COMMUNITY_TABS, MANAGE_LINKS } from "./navigation.ts";

/** Static files the domains serve (each under its content hash). */
export const DOMAIN_ASSETS: readonly Asset[] = [
  trustStylesheet,
  marketplaceStylesheet,
  ideasStylesheet,
  insightsStylesheet,
  similarScript,
];

/** What every page's layout takes from the domains. */
export function installLayout(): void {
  installLayoutSlots({
    stylesheets: [trustStylesheet.url, marketplaceStylesheet.url, ideasStylesheet.url, insightsStylesheet.url],
    head: [seoHead],
    headerTools: [headerSearchBox],
    accountTools: [notificationBell],
    pageTop: [communityBar(COMMUNITY_TABS, MANAGE_LINKS)],
  });
}
