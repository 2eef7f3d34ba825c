import type { Deps } from "../core/deps.ts";
import { translator, type Translate } from "../i18n/i18n.ts";
import { html, type Html } from "../web/html.ts";
import type { PageContext } from "../web/layout.ts";
import type { TopicPageData } from "../topics/index.ts";
import { serviceOfferedFor } from "./catalog.service.ts";

/** What the link needs to know about a topic (a PublicTopic from the topics service fits). */
export interface TopicForLink {
  communityId: number;
  /** The community's slug. */
  community: string;
  categoryId: number | null;
  status: string;
}

/**
 * "Book a service friend" for an unsolved topic whose category a service of the catalog covers
 * and at least one approved helper offers; null otherwise. One query. Pass the page's translator
 * (`page.t`) so the link speaks the viewer's language.
 */
export async function bookHelperLink(
  deps: Pick<Deps, "db">,
  topic: TopicForLink,
  t: Translate = translator("en"),
): Promise<Html | null> {
  if (topic.status === "solved" || topic.categoryId === null) return null;
  const service = await serviceOfferedFor(deps, topic.communityId, topic.categoryId);
  if (!service) return null;
  return html`<p class="book-helper">
<a class="button" href="/c/${topic.community}/service-friends?service=${service.id}">${t("market.bookLink")}</a>
<span class="hint">${t("market.bookLinkHint")}</span></p>`;
}

/** "Book a service friend" on a topic page (a topic panel). */
export async function bookHelperPanel(page: PageContext, data: TopicPageData): Promise<Html | ""> {
  return (await bookHelperLink(page.deps, data.topic, page.t)) ?? "";
}
