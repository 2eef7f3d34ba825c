import { absoluteTime, relativeTime } from "../i18n/i18n.js";
import { DEFAULT_RANK_NAMES } from "../access/trust-levels.js";
import { suspensionOf } from "../access/access.js";
import { html } from "./html.js";
/** "3 hours ago", with the exact time for machines and as a tooltip. */
export function timeAgo(page, at) {
    const ms = typeof at === "number" ? at : Date.parse(at);
    return html `<time datetime="${new Date(ms).toISOString()}" title="${absoluteTime(page.locale, ms)}">${relativeTime(page.locale, ms, page.now)}</time>`;
}
export function badge(text, tone = "neutral") {
    return html `<span class="badge ${tone}">${text}</span>`;
}
/** Where the page sits; the last crumb is the current page and is not a link. */
export function breadcrumbs(page, trail) {
    return html `<nav class="crumbs" aria-label="${page.t("nav.breadcrumbs")}"><ol>${trail.map((c) => c.href ? html `<li><a href="${c.href}">${c.label}</a></li>` : html `<li aria-current="page">${c.label}</li>`)}</ol></nav>`;
}
/** A button that posts a one-field form (join, accept, follow...). */
export function actionButton(page, props) {
    return html `<form method="post" action="${props.action}" class="inline-form">${page.csrfField()}${Object.entries(props.fields ?? {}).map(([name, value]) => html `<input type="hidden" name="${name}" value="${value}">`)}<button type="submit" class="${props.className ?? "button"}">${props.label}</button></form>`;
}
/** A rank's name: the default ranks in the reader's language, a community's own names as written. */
export function rankLabel(page, rank) {
    return DEFAULT_RANK_NAMES.includes(rank.name)
        ? page.t(`rep.rank.${rank.name.toLowerCase()}`)
        : rank.name;
}
/** Rank, champion mark and a running suspension next to a member's name. */
export function authorMarks(page, author) {
    return html `${author.rank ? html ` <span class="rank rank-${Math.min(author.rank.level, 5)}" title="${page.t("rep.rankTitle")}">${rankLabel(page, author.rank)}</span>` : ""}${author.champion
        ? html ` <span class="champion-mark" title="${page.t("rep.championTitle")}">★ ${page.t("rep.champion")}</span>`
        : ""}${author.suspended ? html ` <span class="suspended">${page.t("author.suspended")}</span>` : ""}`;
}
/** A member's name linking to their profile in the community, with rank and champion mark. */
export function authorName(page, slug, author) {
    return html `<a class="author" href="/c/${slug}/u/${author.id}">${author.name}</a>${authorMarks(page, author)}`;
}
/** Links to the community's own pages (leaderboard, rewards...), for page heads. */
export function communityNav(page, slug, extra = []) {
    const links = [
        { href: `/c/${slug}/leaderboard`, label: page.t("rep.leaderboard") },
        { href: `/c/${slug}/rewards`, label: page.t("rep.rewards") },
        ...extra,
    ];
    return html `<nav class="community-nav" aria-label="${page.t("rep.communityNav")}"><ul role="list">${links.map((l) => html `<li><a href="${l.href}">${l.label}</a></li>`)}</ul></nav>`;
}
/** The viewer's own suspension, where they would otherwise take part. */
export function suspensionNotice(page, access) {
    const suspension = suspensionOf(access);
    if (!suspension)
        return html ``;
    return html `<div class="notice warning" role="status"><p><strong>${page.t("mod.suspended.title")}</strong></p>
<p>${page.th("mod.suspended.until", { time: timeAgo(page, suspension.until) })}</p><p>${page.t("mod.suspended.reason")} ${suspension.reason}</p></div>`;
}
