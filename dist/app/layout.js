import { installLayoutSlots } from "../web/layout.js";
import { trustStylesheet } from "../reputation/reputation.assets.js";
import { marketplaceStylesheet } from "../marketplace/marketplace.web.js";
import { similarScript } from "../search/search.assets.js";
import { headerSearchBox } from "../search/search.views.js";
import { notificationBell } from "../notifications/notifications.bell.js";
/** Static files the domains serve (each under its content hash). */
export const DOMAIN_ASSETS = [trustStylesheet, marketplaceStylesheet, similarScript];
/** What every page's layout takes from the domains. */
export function installLayout() {
    installLayoutSlots({
        stylesheets: [trustStylesheet.url, marketplaceStylesheet.url],
        headerTools: [headerSearchBox],
        accountTools: [notificationBell],
    });
}
