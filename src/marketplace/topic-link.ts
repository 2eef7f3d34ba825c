import { html, type Html } from "../web/html.ts";
import type { PageContext } from "../web/layout.ts";
import type { TopicFact, TopicPageData } from "../topics/index.ts";
import { offeredServiceOf } from "./catalog.service.ts";

/** The catalog service that covers a topic's category and takes bookings (null: none). */
export const offeredServiceFact: TopicFact = { name: "offeredService", select: offeredServiceOf };

/**
 * "Book a service friend" on an unsolved topic whose category a service of the catalog covers and
 * at least one approved helper offers (a topic panel): the page's facts name the service, so the
 * panel reads nothing more.
 */
export function bookHelperPanel(page: PageContext, data: TopicPageData): Html | "" {
  const serviceId = data.facts[offeredServiceFact.name];
  if (data.topic.status === "solved" || serviceId === null || serviceId === undefined) return "";
  return html`<p class="book-helper">
<a class="button" href="/c/${data.topic.community}/service-friends?service=${Number(serviceId)}">${page.t(
    "market.bookLink",
  )}</a>
<span class="hint">${page.t("market.bookLinkHint")}</span></p>`;
}
