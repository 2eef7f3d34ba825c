import { defineAsset } from "../web/assets.ts";
import { html, type Html } from "../web/html.ts";
import { linkNav } from "../web/components.ts";
import type { PageContext } from "../web/layout.ts";
import type { MessageKey } from "../i18n/i18n.ts";
import { relativeTime, timeRange } from "../i18n/time-format.ts";
import { formatMoney } from "../i18n/money-format.ts";

/** The marketplace and academy stylesheet. */
export const marketplaceStylesheet = defineAsset(new URL("./marketplace.css", import.meta.url));

/** A price in the community's currency, in the viewer's locale. */
export function money(page: PageContext, amount: number, currency: string): string {
  return formatMoney(page.locale, amount, currency);
}

export function priceText(page: PageContext, offer: { price: number; priceUnit: string; currency: string }): string {
  const amount = money(page, offer.price, offer.currency);
  return offer.priceUnit === "hour"
    ? page.t("market.perHour", { price: amount })
    : page.t("market.fixed", { price: amount });
}

/** "★★★★☆ 4.2 (12 reviews)", or "No reviews yet". */
export function ratingText(page: PageContext, rating: { average: number | null; count: number }): Html {
  if (rating.average === null) return html`<span>${page.t("market.noReviews")}</span>`;
  const full = Math.round(rating.average);
  return html`<span><span class="stars"
    aria-hidden="true">${"★".repeat(full)}${"☆".repeat(5 - full)}</span> ${page.tn("market.rating", rating.count, {
      average: rating.average,
    })}</span>`;
}

/** Date and time of an appointment in the viewer's locale and the community's time zone. */
export function when(page: PageContext, startsAt: string, endsAt: string, timezone: string): string {
  const start = Date.parse(startsAt);
  const range = timeRange(page.locale, start, Date.parse(endsAt), timezone);
  return `${range} (${relativeTime(page.locale, start, page.now)})`;
}

const DAY_KEYS: MessageKey[] = [
  "market.day.0",
  "market.day.1",
  "market.day.2",
  "market.day.3",
  "market.day.4",
  "market.day.5",
  "market.day.6",
];
export const dayName = (page: PageContext, day: number) => page.t(DAY_KEYS[day]);

/** The marketplace's own navigation, on every marketplace page. */
export function marketNav(page: PageContext, slug: string, current: string, staff: boolean): Html {
  const base = `/c/${slug}`;
  const links: [string, MessageKey][] = [
    [`${base}/service-friends`, "market.nav.find"],
    [`${base}/service-friends/request`, "market.nav.request"],
    [`${base}/service-friends/mine`, "market.nav.mine"],
    [`${base}/service-friends/apply`, "market.nav.apply"],
    [`${base}/academy`, "academy.title"],
    ...(staff ? ([[`${base}/service-friends/staff`, "market.nav.staff"]] as [string, MessageKey][]) : []),
  ];
  return linkNav({
    label: page.t("market.nav.label"),
    listClassName: "market-nav",
    linkClassName: "button small",
    links: links.map(([href, key]) => ({ href, label: page.t(key), current: href === current })),
  });
}
