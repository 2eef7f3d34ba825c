import { html, type Html } from "../web/html.ts";
import type { PageContext } from "../web/layout.ts";
import { can } from "../access/privileges.ts";
import { lacks, type NewTopicData, type TopicFact, type TopicPageData, topicViewer } from "../topics/index.ts";
import { duplicateBanner, duplicateOf } from "./duplicates.ts";
import { searchScriptTag, similarSuggestions } from "./search.views.ts";

/** What search adds to topic pages: the duplicate banner, "promote to an article", similar questions. */

/** The original a topic was marked a duplicate of, whoever asks (null: not marked). */
export const duplicateFact: TopicFact = {
  name: "duplicateOf",
  select: (eb) =>
    eb
      .selectFrom("topicDuplicates")
      .select("topicDuplicates.originalId")
      .whereRef("topicDuplicates.topicId", "=", "topics.id"),
  showsTopic: true,
};

export async function duplicatePanel(page: PageContext, data: TopicPageData): Promise<Html> {
  if (lacks(data.facts, duplicateFact)) return html``;
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
