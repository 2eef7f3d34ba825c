import type { Category } from "../db/schema.ts";
import { html, type Html } from "../web/html.ts";
import type { PageContext } from "../web/layout.ts";
import type { NewTopicData, TopicFact, TopicPageData } from "../topics/index.ts";
import { lacks, topicBase } from "../topics/index.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { ticketOf } from "./helpdesk.tickets.ts";

/**
 * What askers are told about scope and expectations: on the new-topic form, each category's
 * expectation and who answers there, and a warning against posting personal data in the open.
 */
export function expectationsNotice(page: PageContext, categories: Category[]): Html {
  const { t } = page;
  const notes = categories.flatMap((c) => {
    const measured = c.measuredResponseMinutes ?? null;
    const text = [
      c.scope === "private" ? t("scope.privateNote") : c.scope === "staff_only" ? t("scope.staffOnlyNote") : "",
      c.expectation,
      measured === null ? "" : t("scope.measured", { time: roughDuration(page.locale, measured) }),
    ]
      .filter(Boolean)
      .join(" ");
    return text ? [html`<li><strong>${c.name}</strong>: ${text}</li>`] : [];
  });
  return html`<section class="card expectations" id="expectations" aria-labelledby="expectations-title">
<h2 id="expectations-title">${t("scope.expectTitle")}</h2>
${notes.length ? html`<ul>${notes}</ul>` : ""}
<p class="form-alert" role="note"><strong>${t("scope.personalData")}</strong></p>
</section>`;
}

/** "45 minutes", "3 hours", "2 days" in the reader's language, rounded up: a promise, not a boast. */
function roughDuration(locale: string, minutes: number): string {
  const [value, unit] =
    minutes < 60
      ? [Math.max(1, Math.ceil(minutes)), "minute"]
      : minutes < 48 * 60
        ? [Math.ceil(minutes / 60), "hour"]
        : [Math.ceil(minutes / 1440), "day"];
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(value);
}

/** For staff on a topic page: the way to its case (escalate, assign, internal notes, resolve). */
export function staffPanelLink(page: PageContext, access: CommunityAccess, topicUrl: string): Html {
  return can(access, "queue.work")
    ? html`<p class="staff-panel"><a class="button subtle" href="${topicUrl}/case">${page.t("scope.casePanel")}</a></p>`
    : html``;
}

/** The staff case link on a topic page (a topic panel). */
export const casePanel = (page: PageContext, data: TopicPageData) =>
  staffPanelLink(page, data.access, topicBase(data.topic));

/** What to expect in each category, on the new-topic form (a part of the form). */
export const expectationsIntro = (page: PageContext, data: NewTopicData) => expectationsNotice(page, data.categories);

/** A topic's help desk ticket (null: it has none). */
export const ticketFact: TopicFact = {
  name: "helpdeskTicket",
  select: (eb) =>
    eb
      .selectFrom("helpdeskTickets")
      .select("helpdeskTickets.ticketId")
      .whereRef("helpdeskTickets.topicId", "=", "topics.id"),
};

/** The help desk's ticket on a topic page, for the asker and staff: "With our support team: ticket 4711, pending". */
export async function ticketPanel(page: PageContext, data: TopicPageData): Promise<Html | ""> {
  if (lacks(data.facts, ticketFact)) return "";
  const staff = can(data.access, "queue.work");
  if (!staff && (page.actor === null || page.actor.id !== data.topic.author.id)) return "";
  const ticket = await ticketOf(page.deps.db, data.topic.id);
  if (!ticket) return "";
  const text = ticket.status
    ? page.t("helpdesk.withSupport", { ticket: ticket.ticketId, status: ticket.status })
    : page.t("helpdesk.withSupportNoStatus", { ticket: ticket.ticketId });
  return html`<p class="notice-inline" id="helpdesk-ticket" role="status">${text}${
    staff && ticket.ticketUrl
      ? html` · <a href="${ticket.ticketUrl}" rel="noopener noreferrer">${page.t("case.ticket")}</a>`
      : ""
  }</p>`;
}
