import { defineAsset } from "../web/assets.js";
import { html } from "../web/html.js";
/** The marketplace and academy stylesheet. */
export const marketplaceStylesheet = defineAsset(new URL("./marketplace.css", import.meta.url));
/** A price in the community's currency, in the viewer's locale. */
export function money(page, amount, currency) {
    return new Intl.NumberFormat(page.locale, { style: "currency", currency }).format(amount);
}
export function priceText(page, offer) {
    const amount = money(page, offer.price, offer.currency);
    return offer.priceUnit === "hour"
        ? page.t("market.perHour", { price: amount })
        : page.t("market.fixed", { price: amount });
}
/** "★★★★☆ 4.2 (12 reviews)", or "No reviews yet". */
export function ratingText(page, rating) {
    if (rating.average === null)
        return html `<span>${page.t("market.noReviews")}</span>`;
    const full = Math.round(rating.average);
    return html `<span><span class="stars" aria-hidden="true">${"★".repeat(full)}${"☆".repeat(5 - full)}</span> ${page.t("market.rating", { average: rating.average, count: rating.count })}</span>`;
}
/** Date and time of an appointment in the viewer's locale and the community's time zone. */
export function when(page, startsAt, endsAt, timezone) {
    const day = new Intl.DateTimeFormat(page.locale, {
        dateStyle: "full",
        timeStyle: "short",
        timeZone: timezone,
    }).format(Date.parse(startsAt));
    const end = new Intl.DateTimeFormat(page.locale, { timeStyle: "short", timeZone: timezone }).format(Date.parse(endsAt));
    return `${day} – ${end}`;
}
const DAY_KEYS = [
    "market.day.0",
    "market.day.1",
    "market.day.2",
    "market.day.3",
    "market.day.4",
    "market.day.5",
    "market.day.6",
];
export const dayName = (page, day) => page.t(DAY_KEYS[day]);
/** The marketplace's own navigation, on every marketplace page. */
export function marketNav(page, slug, current, staff) {
    const base = `/c/${slug}`;
    const links = [
        [`${base}/service-friends`, "market.nav.find"],
        [`${base}/service-friends/request`, "market.nav.request"],
        [`${base}/service-friends/mine`, "market.nav.mine"],
        [`${base}/service-friends/apply`, "market.nav.apply"],
        [`${base}/academy`, "academy.title"],
        ...(staff ? [[`${base}/service-friends/staff`, "market.nav.staff"]] : []),
    ];
    return html `<nav aria-label="${page.t("market.nav.label")}"><ul class="market-nav">${links.map(([href, key]) => html `<li><a class="button small" href="${href}"${href === current ? html ` aria-current="page"` : ""}>${page.t(key)}</a></li>`)}</ul></nav>`;
}
