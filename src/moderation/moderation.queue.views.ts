import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { badge, communityCrumbs, timeAgo, type CommunityRef, linkNav, emptyState } from "../web/components.ts";
import type { MessageKey } from "../i18n/i18n.ts";
import type { QueueItem } from "./moderation.queue.ts";
import { formAlert, textareaText } from "../web/fields.ts";
import type { FormState } from "../web/forms.ts";

const QUEUE_STATUSES = ["open", "approved", "hidden", "deleted"] as const;

function itemActions(page: PageContext, slug: string, item: QueueItem): Html {
  const { t } = page;
  const { allowed } = item;
  // Only one's own post is offered no action: someone else decides on it.
  if (!allowed.length) return html`<p class="hint">${t("mod.ownPost")}</p>`;
  const id = `item-${item.id}`;
  const buttons = allowed.filter((a) => a !== "edit" && a !== "warn");
  return html`<form method="post" action="/c/${slug}/review-queue/${item.id}" class="review-actions">${page.csrfField()}
<div class="field"><label for="${id}-reason">${t("mod.reasonForAuthor")}</label><input type="text" id="${id}-reason"
  name="reason" maxlength="500"></div>
<div class="post-actions">${buttons.map(
    (a) => html`<button type="submit" name="action" value="${a}"
  class="button small${a === "approve" ? " success" : ""}">${t(`mod.action.${a}`)}</button>`,
  )}${
    allowed.includes("warn")
      ? html`<button type="submit" name="action" value="warn"
        class="button small subtle">${t("mod.action.warn")}</button>`
      : ""
  }</div>
${
  allowed.includes("edit") && item.post.type !== "comment"
    ? html`<details><summary>${t("mod.action.edit")}</summary><div class="field"><label
      for="${id}-body">${t("mod.editBody")}</label><textarea id="${id}-body" name="body"
        rows="4">${textareaText(item.post.body)}</textarea></div>
<button type="submit" name="action" value="edit" class="button small">${t("mod.editApprove")}</button></details>`
    : ""
}
</form>`;
}

/** Why an action on an item was refused, each field message linking to that item's field. */
function refusedAlert(page: PageContext, refused: { itemId: number; form: FormState }): Html {
  const labels = { reason: page.t("mod.reasonForAuthor"), body: page.t("mod.editBody") };
  return formAlert(page, refused.form, labels, `item-${refused.itemId}-`);
}

/** The review queue: each item with its post, why it is here, its flags, and the actions the reviewer may take. */
export function reviewQueueView(
  page: PageContext,
  data: {
    community: CommunityRef;
    items: QueueItem[];
    status: string;
    more: string | null;
    /** A refused action on an item: its messages, shown above the queue. */
    refused?: { itemId: number; form: FormState };
  },
): PageView {
  const { t } = page;
  const slug = data.community.slug;
  return {
    title: t("mod.queue"),
    content: html`${communityCrumbs(page, data.community, { label: t("mod.queue") })}
<h1>${t("mod.queue")}</h1>
${data.refused ? refusedAlert(page, data.refused) : ""}
${linkNav({
  label: t("mod.queueFilter"),
  className: "tabs",
  links: QUEUE_STATUSES.map((s) => ({
    href: `/c/${slug}/review-queue?status=${s}`,
    label: t(`mod.queueStatus.${s}`),
    current: s === data.status,
  })),
})}
${
  data.items.length
    ? html`<ol class="review-list" role="list">${data.items.map(
        (item) => html`<li><article class="card review-item" aria-labelledby="review-${item.id}">
<h2 id="review-${item.id}">${badge(
          t(`mod.why.${item.reason}` as MessageKey),
          item.reason === "flags" ? "warning" : "info",
        )} ${t(`mod.postType.${item.post.type}`)}${
          item.post.topic
            ? html`: ${
                item.post.url
                  ? html`<a
              href="${item.post.url}">${item.post.topic.title}</a>`
                  : item.post.topic.title
              }`
            : ""
        }</h2>
<p class="byline">${page.th("post.byline", {
          name: html`<a class="author"
  href="/c/${slug}/u/${item.post.author.id}">${item.post.author.name}</a>`,
          time: timeAgo(page, item.createdAt),
        })} · ${t(`mod.state.${item.post.state}` as MessageKey)}</p>
<blockquote class="excerpt">${item.post.excerpt}</blockquote>
${item.details.signals?.length ? html`<p class="hint">${t("mod.signals")} ${item.details.signals.join("; ")}</p>` : ""}
${
  item.flags.length
    ? html`<ul class="flags-list">${item.flags.map(
        (f) =>
          html`<li>${badge(t(`mod.reason.${f.reason}`), f.trusted ? "warning" : "neutral")} ${f.text} <span
            class="hint">${f.by.name}${f.trusted ? ` · ${t("mod.trusted")}` : ""}</span></li>`,
      )}</ul>`
    : ""
}
${item.status === "open" ? itemActions(page, slug, item) : ""}
</article></li>`,
      )}</ol>`
    : emptyState(t("mod.queueEmpty"), { href: `/c/${slug}`, label: t("empty.browseTopics") })
}
${data.more ? html`<p class="more"><a class="button" rel="next" href="${data.more}">${t("list.more")}</a></p>` : ""}`,
  };
}

/**
 * Every action the audit log records (`recordAudit`'s `action`), each with its label in the moderation
 * messages (`mod.audit.action.<action>`); a code recorded by a newer version and not listed shows as itself.
 */
export const AUDIT_ACTIONS = [
  "helper.approve",
  "helper.reject",
  "helper.changes",
  "helper.suspend",
  "booking_problem.uphold",
  "booking_problem.dismiss",
  "member.ban",
  "member.remove",
  "member.unban",
  "member.suspend",
  "member.unsuspend",
  "member.warn",
  "member.setRole",
  "topic.lock",
  "topic.unlock",
  "topic.markDuplicate",
  "topic.unmarkDuplicate",
  "topic.move",
  "topic.merge",
  "topic.retag",
  "topic.escalate",
  "topic.deescalate",
  "case.assign",
  "case.resolve",
  "revision.redact",
  "post.autohide",
  "post.approve",
  "post.hide",
  "post.delete",
  "post.restore",
  "post.edit",
  "settings.moderation",
  "settings.reputation",
  "settings.accounts",
  "settings.insights",
  "settings.routing",
  "settings.marketplace",
  "webhook.update",
  "webhook.delete",
  "champion.enrol",
  "champion.remove",
  "category.champions_only",
  "category.create",
  "category.update",
  "kudos.recompute",
  "reward.create",
  "reward.update",
  "redemption.fulfil",
  "redemption.reject",
  "community.create",
  "community.update",
  "community.allowedOrigins",
  "sso.requirement",
] as const;

/** Every kind of object an audit entry is about, each with its label (`mod.audit.target.<type>`). */
export const AUDIT_TARGET_TYPES = [
  "helper_application",
  "member",
  "user",
  "topic",
  "reply",
  "comment",
  "community",
  "category",
  "reward",
  "redemption",
  "booking_problem",
] as const;

const isListed = <T extends string>(list: readonly T[], code: string): code is T =>
  (list as readonly string[]).includes(code);

/** What an audit entry did, in the reader's language. */
export function auditActionLabel(page: PageContext, action: string): string {
  return isListed(AUDIT_ACTIONS, action) ? page.t(`mod.audit.action.${action}`) : action;
}

/** What an audit entry is about ("Category #4"), in the reader's language. */
export function auditTargetLabel(page: PageContext, target: { type: string; id: number | null }): string {
  const type = isListed(AUDIT_TARGET_TYPES, target.type) ? page.t(`mod.audit.target.${target.type}`) : target.type;
  return target.id !== null ? `${type} #${target.id}` : type;
}

type AuditEntry = {
  id: number;
  action: string;
  target: { type: string; id: number | null };
  actor: { id: number; name: string } | null;
  details: Record<string, unknown>;
  createdAt: string;
};

/** Every moderator and admin action, newest first, for admins. */
export function auditLogView(
  page: PageContext,
  data: { community: CommunityRef; entries: AuditEntry[]; more: string | null },
): PageView {
  const { t } = page;
  return {
    title: t("mod.audit"),
    content: html`${communityCrumbs(page, data.community, { label: t("mod.audit") })}
<h1>${t("mod.audit")}</h1>
${
  data.entries.length
    ? html`<div class="table-wrap"><table class="audit"><caption class="sr-only">${t("mod.audit")}</caption>
<thead><tr><th scope="col">${t("mod.auditWhen")}</th><th scope="col">${t("mod.auditWho")}</th><th
  scope="col">${t("mod.auditAction")}</th><th scope="col">${t("mod.auditTarget")}</th><th
    scope="col">${t("mod.auditDetails")}</th></tr></thead>
<tbody>${data.entries.map(
        (e) =>
          html`<tr><td>${timeAgo(page, e.createdAt)}</td><td>${
            e.actor ? e.actor.name : t("mod.system")
          }</td><td>${auditActionLabel(page, e.action)}</td><td>${auditTargetLabel(page, e.target)}</td><td><code
  class="details">${JSON.stringify(e.details)}</code></td></tr>`,
      )}</tbody></table></div>`
    : html`<p class="empty">${t("mod.auditEmpty")}</p>`
}
${data.more ? html`<p class="more"><a class="button" rel="next" href="${data.more}">${t("list.more")}</a></p>` : ""}`,
  };
}
