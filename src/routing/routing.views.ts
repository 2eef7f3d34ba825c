import { html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { timeAgo, emptyState } from "../web/components.ts";
import { kindBadge, statusBadge, tagLinks } from "../topics/index.ts";
import type { questionsForYou } from "./routing.service.ts";

type Question = Awaited<ReturnType<typeof questionsForYou>>[number];

function questionRow(page: PageContext, q: Question) {
  const { topic } = q;
  return html`<li class="topic-row">
<div class="summary">
<h3><a href="${topic.url}">${topic.title}</a></h3>
<div class="meta">${kindBadge(page, topic.kind)} ${statusBadge(page, topic.status)} ${tagLinks(
    page,
    topic.community,
    topic.tags,
  )}</div>
<p class="byline">${page.th("routing.byline", {
    name: html`<span
  class="author">${topic.author.name}</span>`,
    time: timeAgo(page, q.routedAt),
  })}</p>
</div>
</li>`;
}

/** The member's routed questions, and the switch to stop receiving them. */
export function questionsForYouView(page: PageContext, questions: Question[], optedOut: boolean): PageView {
  const { t } = page;
  return {
    title: t("routing.title"),
    content: html`<h1>${t("routing.title")}</h1>
<p class="lead">${t("routing.lead")}</p>
${optedOut ? html`<p class="notice" role="status">${t("routing.optedOutNotice")}</p>` : ""}
<section aria-labelledby="routed-title">
<h2 id="routed-title" class="sr-only">${t("routing.listTitle")}</h2>
${
  questions.length
    ? html`<ol class="topic-list" role="list">${questions.map((q) => questionRow(page, q))}</ol>`
    : emptyState(t("routing.empty"), { href: "/", label: t("empty.browseCommunities") })
}
</section>
<form method="post" action="/me/questions-for-you/settings" class="card stack">${page.csrfField()}
<input type="hidden" name="optedOut" value="${optedOut ? "0" : "1"}">
<p>${t(optedOut ? "routing.optInHint" : "routing.optOutHint")}</p>
<div><button type="submit" class="button">${t(optedOut ? "routing.optIn" : "routing.optOut")}</button></div>
</form>`,
  };
}
