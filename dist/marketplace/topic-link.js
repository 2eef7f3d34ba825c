import { translator } from "../i18n/i18n.js";
import { html } from "../web/html.js";
import { serviceOfferedFor } from "./catalog.service.js";
/**
 * "Book a service friend" for an unsolved topic whose category a service of the catalog covers
 * and at least one approved helper offers; null otherwise. One query. Pass the page's translator
 * (`page.t`) so the link speaks the viewer's language.
 */
export async function bookHelperLink(deps, topic, t = translator("en")) {
    if (topic.status === "solved" || topic.categoryId === null)
        return null;
    const service = await serviceOfferedFor(deps, topic.communityId, topic.categoryId);
    if (!service)
        return null;
    return html `<p class="book-helper">
<a class="button" href="/c/${topic.community}/service-friends?service=${service.id}">${t("market.bookLink")}</a>
<span class="hint">${t("market.bookLinkHint")}</span></p>`;
}
/** "Book a service friend" on a topic page (a topic panel). */
export async function bookHelperPanel(page, data) {
    return (await bookHelperLink(page.deps, data.topic, page.t)) ?? "";
}
