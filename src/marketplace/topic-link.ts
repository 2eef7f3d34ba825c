import { html, type Html } from "../web/html.ts";
import type { PageContext } from "../web/layout.ts";
import type { TopicFact, TopicPageData } from "../topics/index.ts";
import { bookableServiceFor, offeredServiceOf } from "./catalog.service.ts";

/**
 * Whether a catalog service covers a topic's category and may have someone to book (null: none),
 * read with the topic: a topic of any other category costs the panel no query.
 */
export const offeredServiceFact: TopicFact = { name: "offeredService", select: offeredServiceOf };

/**
 * "Book a service friend" on an unsolved topic whose category a service of the catalog covers and
 * that someone may be booked for now (a topic panel): an approved helper in good standing (not
 * suspended, banned or removed), certified for the service if it asks for it, with an active offer,
 * as the finder the link leads to shows them. The page's fact rules out most topics; when it names
 * a service, one query decides with the page's clock.
 */
export async function bookHelperPanel(page: PageContext, data: TopicPageData): Promise<Html | ""> {
  const { topic } = data;
  const candidate = data.facts[offeredServiceFact.name];
  if (topic.status === "solved" || candidate === null || candidate === undefined || topic.categoryId === null)
    return "";
  const serviceId = await bookableServiceFor(page.deps.db, topic.communityId, topic.categoryId, page.now);
  if (serviceId === null) return "";
  return html`<p class="book-helper">
<a class="button" href="/c/${topic.community}/service-friends?service=${serviceId}">${page.t("market.bookLink")}</a>
<span class="hint">${page.t("market.bookLinkHint")}</span></p>`;
}
