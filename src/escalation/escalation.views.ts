import type { SupportCaseReason } from "../db/schema.ts";
import type { MessageKey } from "../i18n/i18n.ts";
import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { blankForm, type FormState } from "../web/forms.ts";
import { formAlert, radioGroup, textareaField } from "../web/fields.ts";
import { LIMITS } from "../core/config.ts";
import {
  actionButton,
  badge,
  card,
  communityCrumbs,
  type CommunityRef,
  linkNav,
  timeAgo,
  emptyState,
} from "../web/components.ts";
import { statusBadge } from "../topics/index.ts";
import type { PublicTopic } from "../topics/index.ts";
import type { listQueue } from "./escalation.queue.ts";
import type { caseOf, listNotes, staffMembers } from "./escalation.service.ts";
import { readResolution } from "./escalation.service.ts";
import type { listDeliveries } from "./webhooks.ts";
import { type listHelpdeskEvents, readOutcome } from "./helpdesk.log.ts";
import type { ticketOf } from "./helpdesk.tickets.ts";

type QueueItem = Awaited<ReturnType<typeof listQueue>>[number];
type Delivery = Awaited<ReturnType<typeof listDeliveries>>[number];
type IncomingEvent = Awaited<ReturnType<typeof listHelpdeskEvents>>[number];

const HELPDESK_COLUMNS = [
  "helpdesk.col.received",
  "helpdesk.col.type",
  "helpdesk.col.delivery",
  "helpdesk.col.topic",
  "helpdesk.col.outcome",
] as const;

/** The help-desk ticket linked to a case, as facts of its list. */
function ticketFacts(page: PageContext, ticket: NonNullable<Awaited<ReturnType<typeof ticketOf>>>): Html {
  const id = ticket.ticketUrl
    ? html`<a href="${ticket.ticketUrl}" rel="noopener noreferrer">${ticket.ticketId}</a>`
    : ticket.ticketId;
  return html`<dt>${page.t("case.ticket")}</dt><dd id="case-ticket">${id}${
    ticket.status ? html` (${ticket.status})` : ""
  }</dd>`;
}

/** What staff did, in the reader's language (a private reason stays in staff's own words). */
function resolutionText(page: PageContext, stored: string): string {
  const read = readResolution(stored);
  if (read.kind === "public") return page.t("case.closedPublic", { reply: read.replyId });
  if (read.kind === "helpdesk") return page.t("case.closedInHelpdesk", { ticket: read.ticketId });
  return read.text;
}

/** What came of a help-desk event, in the reader's language (a refusal's reason as its error gave it). */
function outcomeText(page: PageContext, stored: string): string {
  const read = readOutcome(stored);
  return read.key === null ? read.text : page.t(`helpdesk.outcome.${read.key}` as MessageKey, read.params);
}

const reasonLabel = (page: PageContext, reason: SupportCaseReason) => page.t(`case.reason.${reason}` as MessageKey);
const staffBase = (community: CommunityRef) => `/c/${community.slug}/staff`;
/** The case page of a topic, where staff act on it. */
export const caseUrl = (community: CommunityRef, topicId: number) => `/c/${community.slug}/t/${topicId}/case`;

function deliveriesTable(page: PageContext, community: CommunityRef, deliveries: Delivery[]): Html {
  const { t } = page;
  const tone = { sent: "success", pending: "warning", failed: "accent" } as const;
  if (deliveries.length === 0) return html`<p class="empty">${t("webhook.noDeliveries")}</p>`;
  return html`<div class="table-wrap"><table>
<caption class="sr-only">${t("webhook.deliveries")}</caption>
<thead><tr><th scope="col">${t("webhook.when")}</th><th scope="col">${t("webhook.event")}</th><th
  scope="col">${t("webhook.status")}</th><th scope="col">${t("webhook.attempts")}</th><th
    scope="col">${t("webhook.lastError")}</th><th scope="col">${t("webhook.next")}</th></tr></thead>
<tbody>${deliveries.map(
    (d) => html`<tr><td>${timeAgo(page, d.createdAt)}</td><td>${d.event}${
      d.topicId
        ? html` <a
      href="${caseUrl(community, d.topicId)}">#${d.topicId}</a>`
        : ""
    }</td>
<td>${badge(t(`webhook.status.${d.status}` as MessageKey), tone[d.status])}</td><td>${d.attempts}</td><td>${
      d.outcome === "failed"
        ? t("webhook.outcome.failed", { status: String(d.responseStatus) })
        : d.outcome === "unreachable"
          ? t("webhook.outcome.unreachable")
          : ""
    }</td>
<td>${
      d.nextAttemptAt
        ? timeAgo(page, d.nextAttemptAt)
        : d.status === "failed"
          ? actionButton(page, {
              action: `${staffBase(community)}/deliveries/${d.id}/retry`,
              label: t("webhook.retry"),
              className: "button small",
            })
          : ""
    }</td></tr>`,
  )}</tbody>
</table></div>`;
}

function incomingTable(page: PageContext, community: CommunityRef, events: IncomingEvent[]): Html {
  const { t } = page;
  if (events.length === 0) return html`<p class="empty">${t("helpdesk.noEvents")}</p>`;
  return html`<div class="table-wrap"><table>
<caption class="sr-only">${t("helpdesk.incoming")}</caption>
<thead><tr>${HELPDESK_COLUMNS.map((key) => html`<th scope="col">${t(key)}</th>`)}</tr></thead>
<tbody>${events.map(
    (e) =>
      html`<tr><td>${timeAgo(page, e.receivedAt)}</td><td><code>${e.type}</code></td>
<td><code>${e.deliveryId}</code></td>
<td>${e.topicId ? html`<a href="${caseUrl(community, e.topicId)}">#${e.topicId}</a>` : ""}</td>
<td>${outcomeText(page, e.outcome)}</td></tr>`,
  )}</tbody></table></div>`;
}

/** The staff queue, oldest case first, with filters and the webhook's recent deliveries. */
export function queueView(
  page: PageContext,
  data: {
    community: CommunityRef;
    items: QueueItem[];
    assignee?: "me" | "unassigned";
    deliveries: Delivery[];
    incoming: IncomingEvent[];
  },
): PageView {
  const { t } = page;
  const base = staffBase(data.community);
  const filters = (
    [
      [undefined, "queue.all"],
      ["me", "queue.mine"],
      ["unassigned", "queue.unassigned"],
    ] as const
  ).map(([value, key]) => ({
    href: `${base}${value ? `?assignee=${value}` : ""}`,
    label: t(key),
    current: value === data.assignee,
  }));
  return {
    title: t("queue.title", { community: data.community.name }),
    content: html`${communityCrumbs(page, data.community, { label: t("queue.heading") })}
<h1>${t("queue.title", { community: data.community.name })}</h1>
<p class="lead">${t("queue.lead")}</p>
${linkNav({ label: t("queue.filter"), listClassName: "tags", links: filters })}
${
  data.items.length === 0
    ? emptyState(t("queue.empty"), { href: `/c/${data.community.slug}`, label: t("empty.browseTopics") })
    : html`<div class="table-wrap"><table>
<caption class="sr-only">${t("queue.heading")}</caption>
<thead><tr><th scope="col">${t("queue.topic")}</th><th scope="col">${t("queue.reason")}</th><th
  scope="col">${t("queue.waiting")}</th><th scope="col">${t("queue.assignee")}</th></tr></thead>
<tbody>${data.items.map(
        (item) => html`<tr><th scope="row"><a
          href="${caseUrl(data.community, item.topic.id)}">${item.topic.title}</a> ${statusBadge(
            page,
            item.topic.status,
          )}</th>
<td>${reasonLabel(page, item.case.reason)}</td><td>${timeAgo(page, item.case.openedAt)}</td><td>${
          item.case.assignee?.name ?? t("queue.nobody")
        }</td></tr>`,
      )}</tbody>
</table></div>`
}
<section aria-labelledby="deliveries-title">
<h2 id="deliveries-title">${t("webhook.deliveries")}</h2>
${deliveriesTable(page, data.community, data.deliveries)}
</section>
<section aria-labelledby="incoming-title">
<h2 id="incoming-title">${t("helpdesk.incoming")}</h2>
${incomingTable(page, data.community, data.incoming)}
</section>`,
  };
}

interface CaseData {
  community: CommunityRef;
  topic: PublicTopic;
  supportCase: Awaited<ReturnType<typeof caseOf>>;
  notes: Awaited<ReturnType<typeof listNotes>>;
  staff: Awaited<ReturnType<typeof staffMembers>>;
  ticket: Awaited<ReturnType<typeof ticketOf>>;
}

function caseActions(page: PageContext, data: CaseData, base: string, resolveForm: FormState): Html {
  const { t } = page;
  const { supportCase, topic } = data;
  const open = supportCase !== null && supportCase.resolvedAt === null;
  const assign = open
    ? html`<form method="post" action="${base}/assign" class="role-form">${page.csrfField()}
<label for="assignee">${t("case.assignTo")}</label>
<select id="assignee" name="userId"><option value="">${t("queue.nobody")}</option>${data.staff.map(
        (s) =>
          html`<option value="${s.id}"${s.id === supportCase.assignee?.id ? html` selected` : ""}>${s.name}</option>`,
      )}</select>
<button type="submit" class="button small">${t("case.assign")}</button></form>`
    : "";
  const escalation =
    topic.status === "escalated"
      ? actionButton(page, { action: `${base}/deescalate`, label: t("case.deescalate") })
      : topic.status !== "solved"
        ? actionButton(page, { action: `${base}/escalate`, label: t("case.escalate"), className: "button primary" })
        : "";
  const resolve = open
    ? html`<form method="post" action="${base}/resolve" novalidate>${page.csrfField()}
${formAlert(page, resolveForm, {
  resolution: t("case.resolution"),
  body: t("case.replyBody"),
  reason: t("case.reason"),
})}
${radioGroup({
  form: resolveForm,
  name: "resolution",
  label: t("case.resolution"),
  required: true,
  options: [
    { value: "public", label: t("case.resolvePublic") },
    { value: "private", label: t("case.resolvePrivate") },
  ],
})}
${textareaField({
  form: resolveForm,
  name: "body",
  label: t("case.replyBody"),
  hint: t("case.replyBodyHint"),
  rows: 4,
  maxlength: LIMITS.bodyMax,
})}
<div class="field"><label class="radio" for="accept"><input type="checkbox" id="accept" name="accept" value="on"${
        resolveForm.values.accept ? html` checked` : ""
      }> ${t("case.acceptReply")}</label></div>
${textareaField({
  form: resolveForm,
  name: "reason",
  label: t("case.reason"),
  hint: t("case.resolutionHint"),
  rows: 3,
  maxlength: 2000,
})}
<button type="submit" class="button success">${t("case.resolve")}</button></form>`
    : "";
  return html`<div class="post-actions">${escalation}</div>${assign}${resolve}`;
}

/** One topic as staff see it: its case, the actions on it and the internal notes. */
export function caseView(
  page: PageContext,
  data: CaseData,
  forms: { note?: FormState; resolve?: FormState } = {},
): PageView {
  const { t } = page;
  const { topic, supportCase } = data;
  const base = caseUrl(data.community, topic.id);
  const noteForm = forms.note ?? blankForm();
  const state = supportCase
    ? html`<dl class="case-facts"><dt>${t("queue.reason")}</dt><dd>${reasonLabel(page, supportCase.reason)}</dd>
<dt>${t("queue.waiting")}</dt><dd>${timeAgo(page, supportCase.openedAt)}</dd>
<dt>${t("queue.assignee")}</dt><dd>${supportCase.assignee?.name ?? t("queue.nobody")}</dd>
${data.ticket ? ticketFacts(page, data.ticket) : ""}
${
  supportCase.resolvedAt
    ? html`<dt>${t("case.resolvedAt")}</dt><dd>${timeAgo(page, supportCase.resolvedAt)}${
        supportCase.resolution ? html`: ${resolutionText(page, supportCase.resolution)}` : ""
      }</dd>`
    : ""
}</dl>`
    : html`<p>${t("case.notQueued")}</p>`;
  return {
    title: t("case.title", { title: topic.title }),
    content: html`${communityCrumbs(
      page,
      data.community,
      { label: t("queue.heading"), href: staffBase(data.community) },
      { label: topic.title },
    )}
<h1>${t("case.title", { title: topic.title })}</h1>
<p><a href="${topic.url}">${t("case.openTopic")}</a> ${statusBadge(page, topic.status)}</p>
${card(
  { id: "case-state", title: t("case.state") },
  html`
${state}
${caseActions(page, data, base, forms.resolve ?? blankForm())}
`,
)}
${card(
  { id: "notes-title", title: t("case.notes") },
  html`
<p class="hint">${t("case.notesHint")}</p>
${
  data.notes.length
    ? html`<ol class="comment-list" role="list">${data.notes.map(
        (n) =>
          html`<li class="comment" id="note-${n.id}"><p>${n.body}</p><p
            class="byline">${page.th("post.byline", {
              name: html`<span
              class="author">${n.author.name}</span>`,
              time: timeAgo(page, n.createdAt),
            })}</p></li>`,
      )}</ol>`
    : html`<p class="empty">${t("case.noNotes")}</p>`
}
<form method="post" action="${base}/notes" novalidate>${page.csrfField()}
${formAlert(page, noteForm, { body: t("case.note") })}
${textareaField({ form: noteForm, name: "body", label: t("case.note"), rows: 3, maxlength: 5000, required: true })}
<button type="submit" class="button">${t("case.addNote")}</button>
</form>
`,
)}`,
  };
}
