import { html } from "../web/html.js";
import { blankForm } from "../web/forms.js";
import { formAlert, textareaField } from "../web/fields.js";
import { actionButton, badge, breadcrumbs, timeAgo } from "../web/components.js";
import { statusBadge } from "../topics/index.js";
const reasonLabel = (page, reason) => page.t(`case.reason.${reason}`);
const staffBase = (community) => `/c/${community.slug}/staff`;
/** The case page of a topic, where staff act on it. */
export const caseUrl = (community, topicId) => `/c/${community.slug}/t/${topicId}/case`;
function trail(page, community, last) {
    return breadcrumbs(page, [
        { label: page.t("home.title"), href: "/" },
        { label: community.name, href: `/c/${community.slug}` },
        ...last,
    ]);
}
function deliveriesTable(page, community, deliveries) {
    const { t } = page;
    const tone = { sent: "success", pending: "warning", failed: "accent" };
    if (deliveries.length === 0)
        return html `<p class="empty">${t("webhook.noDeliveries")}</p>`;
    return html `<div class="table-wrap"><table>
<caption class="sr-only">${t("webhook.deliveries")}</caption>
<thead><tr><th scope="col">${t("webhook.when")}</th><th scope="col">${t("webhook.event")}</th><th scope="col">${t("webhook.status")}</th><th scope="col">${t("webhook.attempts")}</th><th scope="col">${t("webhook.lastError")}</th><th scope="col">${t("webhook.next")}</th></tr></thead>
<tbody>${deliveries.map((d) => html `<tr><td>${timeAgo(page, d.createdAt)}</td><td>${d.event}${d.topicId ? html ` <a href="${caseUrl(community, d.topicId)}">#${d.topicId}</a>` : ""}</td>
<td>${badge(t(`webhook.status.${d.status}`), tone[d.status])}</td><td>${d.attempts}</td><td>${d.lastError ?? ""}</td>
<td>${d.nextAttemptAt ? timeAgo(page, d.nextAttemptAt) : d.status === "failed" ? actionButton(page, { action: `${staffBase(community)}/deliveries/${d.id}/retry`, label: t("webhook.retry"), className: "button small" }) : ""}</td></tr>`)}</tbody>
</table></div>`;
}
/** The staff queue, oldest case first, with filters and the webhook's recent deliveries. */
export function queueView(page, data) {
    const { t } = page;
    const base = staffBase(data.community);
    const filters = [
        [undefined, "queue.all"],
        ["me", "queue.mine"],
        ["unassigned", "queue.unassigned"],
    ].map(([value, key]) => value === data.assignee
        ? html `<li aria-current="page"><strong>${t(key)}</strong></li>`
        : html `<li><a href="${base}${value ? `?assignee=${value}` : ""}">${t(key)}</a></li>`);
    return {
        title: t("queue.title", { community: data.community.name }),
        content: html `${trail(page, data.community, [{ label: t("queue.heading") }])}
<h1>${t("queue.title", { community: data.community.name })}</h1>
<p class="lead">${t("queue.lead")}</p>
<nav aria-label="${t("queue.filter")}"><ul class="tags">${filters}</ul></nav>
${data.items.length === 0
            ? html `<p class="empty">${t("queue.empty")}</p>`
            : html `<div class="table-wrap"><table>
<caption class="sr-only">${t("queue.heading")}</caption>
<thead><tr><th scope="col">${t("queue.topic")}</th><th scope="col">${t("queue.reason")}</th><th scope="col">${t("queue.waiting")}</th><th scope="col">${t("queue.assignee")}</th></tr></thead>
<tbody>${data.items.map((item) => html `<tr><th scope="row"><a href="${caseUrl(data.community, item.topic.id)}">${item.topic.title}</a> ${statusBadge(page, item.topic.status)}</th>
<td>${reasonLabel(page, item.case.reason)}</td><td>${timeAgo(page, item.case.openedAt)}</td><td>${item.case.assignee?.name ?? t("queue.nobody")}</td></tr>`)}</tbody>
</table></div>`}
<section aria-labelledby="deliveries-title">
<h2 id="deliveries-title">${t("webhook.deliveries")}</h2>
${deliveriesTable(page, data.community, data.deliveries)}
</section>`,
    };
}
function caseActions(page, data, base, resolveForm) {
    const { t } = page;
    const { supportCase, topic } = data;
    const open = supportCase !== null && supportCase.resolvedAt === null;
    const assign = open
        ? html `<form method="post" action="${base}/assign" class="role-form">${page.csrfField()}
<label for="assignee">${t("case.assignTo")}</label>
<select id="assignee" name="userId"><option value="">${t("queue.nobody")}</option>${data.staff.map((s) => html `<option value="${s.id}"${s.id === supportCase.assignee?.id ? html ` selected` : ""}>${s.name}</option>`)}</select>
<button type="submit" class="button small">${t("case.assign")}</button></form>`
        : "";
    const escalation = topic.status === "escalated"
        ? actionButton(page, { action: `${base}/deescalate`, label: t("case.deescalate") })
        : topic.status !== "solved"
            ? actionButton(page, { action: `${base}/escalate`, label: t("case.escalate"), className: "button primary" })
            : "";
    const resolve = open
        ? html `<form method="post" action="${base}/resolve" novalidate>${page.csrfField()}
${formAlert(page, resolveForm, { resolution: t("case.resolution") })}
${textareaField({ form: resolveForm, name: "resolution", label: t("case.resolution"), hint: t("case.resolutionHint"), rows: 3, maxlength: 2000, required: true })}
<button type="submit" class="button success">${t("case.resolve")}</button></form>`
        : "";
    return html `<div class="post-actions">${escalation}</div>${assign}${resolve}`;
}
/** One topic as staff see it: its case, the actions on it and the internal notes. */
export function caseView(page, data, forms = {}) {
    const { t } = page;
    const { topic, supportCase } = data;
    const base = caseUrl(data.community, topic.id);
    const noteForm = forms.note ?? blankForm();
    const state = supportCase
        ? html `<dl class="case-facts"><dt>${t("queue.reason")}</dt><dd>${reasonLabel(page, supportCase.reason)}</dd>
<dt>${t("queue.waiting")}</dt><dd>${timeAgo(page, supportCase.openedAt)}</dd>
<dt>${t("queue.assignee")}</dt><dd>${supportCase.assignee?.name ?? t("queue.nobody")}</dd>
${supportCase.resolvedAt ? html `<dt>${t("case.resolvedAt")}</dt><dd>${timeAgo(page, supportCase.resolvedAt)}${supportCase.resolution ? html `: ${supportCase.resolution}` : ""}</dd>` : ""}</dl>`
        : html `<p>${t("case.notQueued")}</p>`;
    return {
        title: t("case.title", { title: topic.title }),
        content: html `${trail(page, data.community, [{ label: t("queue.heading"), href: staffBase(data.community) }, { label: topic.title }])}
<h1>${t("case.title", { title: topic.title })}</h1>
<p><a href="${topic.url}">${t("case.openTopic")}</a> ${statusBadge(page, topic.status)}</p>
<section class="card" aria-labelledby="case-state">
<h2 id="case-state">${t("case.state")}</h2>
${state}
${caseActions(page, data, base, forms.resolve ?? blankForm())}
</section>
<section class="card" aria-labelledby="notes-title">
<h2 id="notes-title">${t("case.notes")}</h2>
<p class="hint">${t("case.notesHint")}</p>
${data.notes.length
            ? html `<ol class="comment-list" role="list">${data.notes.map((n) => html `<li class="comment" id="note-${n.id}"><p>${n.body}</p><p class="byline">${page.th("post.byline", { name: html `<span class="author">${n.author.name}</span>`, time: timeAgo(page, n.createdAt) })}</p></li>`)}</ol>`
            : html `<p class="empty">${t("case.noNotes")}</p>`}
<form method="post" action="${base}/notes" novalidate>${page.csrfField()}
${formAlert(page, noteForm, { body: t("case.note") })}
${textareaField({ form: noteForm, name: "body", label: t("case.note"), rows: 3, maxlength: 5000, required: true })}
<button type="submit" class="button">${t("case.addNote")}</button>
</form>
</section>`,
    };
}
