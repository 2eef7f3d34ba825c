import { html } from "../web/html.js";
import { can } from "../access/privileges.js";
import { duplicateBanner, duplicateOf } from "./duplicates.js";
import { searchScriptTag, similarSuggestions } from "./search.views.js";
/** What search adds to topic pages: the duplicate banner, "promote to an article", similar questions. */
export async function duplicatePanel(page, data) {
    return duplicateBanner(page, await duplicateOf(page.deps, data.topic.id));
}
export function promotePanel(page, { topic, access }) {
    if (topic.status !== "solved" || !can(access, "article.write"))
        return "";
    return html `<p class="notice-inline"><a href="/c/${topic.community}/kb/new?from=${topic.id}">${page.t("kb.promote")}</a></p>`;
}
export function similarQuestionsAside(page, { community }) {
    return html `${similarSuggestions(page, community.slug)}${searchScriptTag()}`;
}
