import { html, type Html } from "../web/html.ts";
import type { PageContext } from "../web/layout.ts";
import { can } from "../access/privileges.ts";
import { type NewTopicData, type TopicPageData, topicViewer } from "../topics/index.ts";
import { duplicateBanner, duplicateOf } from "./duplicates.ts";
import { searchScriptTag, similarSuggestions } from "./search.views.ts";

/** What search adds to topic pages: the duplicate banner, "promote to an article", similar questions. */

export async function duplicatePanel(page: PageContext, data: TopicPageData): Promise<Html> {
  return duplicateBanner(page, await duplicateOf(page.deps, data.topic.id, topicViewer(data.access)));
}

export function promotePanel(page: PageContext, { topic, access }: TopicPageData): Html | "" {
  if (topic.status !== "solved" || !can(access, "article.write")) return "";
  return html`<p class="notice-inline"><a
    href="/c/${topic.community}/kb/new?from=${topic.id}">${page.t("kb.promote")}</a></p>`;
}

export function similarQuestionsAside(page: PageContext, { community }: NewTopicData): Html {
  return html`${similarSuggestions(page, community.slug)}${searchScriptTag()}`;
}
