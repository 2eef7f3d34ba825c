import type { MessageKey } from "../i18n/i18n.ts";
import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { actionButton, badge, timeAgo, emptyState } from "../web/components.ts";
import { avatar } from "../web/avatar.ts";
import type { NotificationChannel } from "../db/schema.ts";
import {
  AREAS,
  CHANNELS,
  notificationKind,
  type NotificationArea,
  type NotificationKind,
} from "./notifications.kinds.ts";
import type { getPreferences, recentEmails } from "./notifications.service.ts";
import { allReplies, type NotificationGroup, type NotificationGroups } from "./notifications.groups.ts";

type Preferences = Awaited<ReturnType<typeof getPreferences>>;

/** What a group says: one notification's own text, or "3 new replies in “title”" for several. */
export function groupSummary(page: PageContext, group: NotificationGroup): string {
  const { latest, items, unreadIds } = group;
  if (items.length === 1) return latest.text;
  const replies = allReplies(group);
  const params = { title: latest.title };
  if (unreadIds.length > 0)
    return page.tn(replies ? "notify.group.newReplies" : "notify.group.newUpdates", unreadIds.length, params);
  return page.tn(replies ? "notify.group.replies" : "notify.group.updates", items.length, params);
}

/** The form that marks one group's unread notifications read, then comes back to `next`. */
function markGroupRead(page: PageContext, group: NotificationGroup, next: string): Html | "" {
  if (group.unreadIds.length === 0) return "";
  return actionButton(page, {
    action: "/me/notifications/read",
    label: page.t("notify.page.markRead"),
    className: "link-button",
    fields: { ids: group.unreadIds.join(","), next },
  });
}

/**
 * "Mark all as read", back to `next` with a confirmation. It marks up to the newest notification
 * the list showed: one that arrives while the page is open stays unread.
 */
export function markAllRead(page: PageContext, list: NotificationGroups, next: string): Html {
  return actionButton(page, {
    action: "/me/notifications/read",
    label: page.t("notify.page.markAll"),
    className: "button small",
    fields: { all: "1", ...(list.newestId === undefined ? {} : { upTo: String(list.newestId) }), next },
  });
}

function groupItem(page: PageContext, group: NotificationGroup): Html {
  const { latest } = group;
  const unread = group.unreadIds.length > 0;
  // Several: the newest one's own text (who did what); one: its excerpt.
  const detail = group.items.length > 1 ? latest.text : latest.excerpt;
  const unreadBadge = badge(page.t("notify.page.unread"), "info");
  return html`<li class="notification${unread ? " unread" : ""}" data-group="${group.key}">
${latest.actor ? avatar(latest.actor, "m") : ""}<div class="notification-body"><a href="${latest.url}">${groupSummary(
    page,
    group,
  )}</a>
${detail ? html`<p class="excerpt">${detail}</p>` : ""}
<p class="meta">${timeAgo(page, latest.createdAt)}${unread ? html` ${unreadBadge}` : ""}</p>
${markGroupRead(page, group, "/me/notifications")}</div>
</li>`;
}

export function notificationsPage(page: PageContext, list: NotificationGroups): PageView {
  const { t } = page;
  const content = html`<div class="page-head">
<h1>${t("notify.page.title")}</h1>
<div class="actions"><a href="/me/notifications/settings">${t("notify.page.preferences")}</a>${
    list.unreadCount > 0 ? markAllRead(page, list, "/me/notifications") : ""
  }</div>
</div>
${
  list.groups.length === 0
    ? emptyState(t("notify.page.empty"), { href: "/me/notifications/settings", label: t("notify.page.preferences") })
    : html`<ul class="notifications">${list.groups.map((group) => groupItem(page, group))}</ul>`
}
${
  list.nextCursor
    ? html`<p><a
  href="/me/notifications?cursor=${list.nextCursor}">${t("notify.page.more")}</a></p>`
    : ""
}`;
  return { title: t("notify.page.title"), content };
}

/** One radio button of the grid: its label names the kind and the channel for screen readers. */
function channelCell(
  page: PageContext,
  kind: string,
  label: string,
  current: NotificationChannel,
  channel: NotificationChannel,
) {
  const { t } = page;
  const checked = channel === current ? html` checked` : "";
  return html`<td><label class="channel-choice" data-label="${t(`notify.column.${channel}` as MessageKey)}"><input
  type="radio" name="${kind}" value="${channel}"${checked}><span class="sr-only">${label}: ${t(
    `notify.channel.${channel}` as MessageKey,
  )}</span></label></td>`;
}

/** One table per area (topics, support, marketplace...), rows the kinds, columns the channels. */
function areaTable(page: PageContext, area: NotificationArea, preferences: Preferences): Html | "" {
  const { t } = page;
  const rows = preferences.filter((p) => (notificationKind(p.kind)?.area ?? "topics") === area);
  if (rows.length === 0) return "";
  return html`<section class="prefs-area" aria-labelledby="area-${area}">
<h2 id="area-${area}">${t(`notify.area.${area}` as MessageKey)}</h2>
<div class="table-wrap"><table class="prefs-grid own-narrow">
<caption class="sr-only">${t(`notify.area.${area}` as MessageKey)}</caption>
<thead><tr><th scope="col">${t("notify.column.kind")}</th>${CHANNELS.map(
    (channel) =>
      html`<th scope="col" title="${t(`notify.channel.${channel}` as MessageKey)}">${t(
        `notify.column.${channel}` as MessageKey,
      )}</th>`,
  )}</tr></thead>
<tbody>${rows.map((p) => {
    const kind = notificationKind(p.kind);
    const label = kind ? t(kind.label) : p.kind;
    return html`<tr><th scope="row">${label}</th>${CHANNELS.map((channel) =>
      channelCell(page, p.kind, label, p.channel, channel),
    )}</tr>`;
  })}</tbody>
</table></div>
</section>`;
}

export function settingsPage(page: PageContext, preferences: Preferences, saved: boolean): PageView {
  const { t } = page;
  const content = html`<h1>${t("notify.prefs.title")}</h1>
${saved ? html`<p class="notice" role="status">${t("notify.prefs.saved")}</p>` : ""}
<p>${t("notify.prefs.intro")}</p>
<dl class="channel-legend">${CHANNELS.filter((channel) => channel !== "off").map(
    (channel) =>
      html`<div><dt>${t(`notify.column.${channel}` as MessageKey)}</dt><dd>${t(
        `notify.channel.${channel}` as MessageKey,
      )}</dd></div>`,
  )}</dl>
<form method="post" action="/me/notifications/settings" class="prefs-form">${page.csrfField()}
${AREAS.map((area) => areaTable(page, area, preferences))}
<p><button type="submit" class="button">${t("notify.prefs.save")}</button></p>
</form>`;
  return { title: t("notify.prefs.title"), content };
}

export function unsubscribeConfirm(page: PageContext, kind: NotificationKind, action: string): PageView {
  const { t } = page;
  const content = html`<h1>${t("unsubscribe.title")}</h1>
<form method="post" action="${action}" class="stack">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<p>${t("unsubscribe.confirm", { kind: t(kind.label) })}</p>
<button type="submit" class="button">${t("unsubscribe.button")}</button>
</form>`;
  return { title: t("unsubscribe.title"), content };
}

export function unsubscribeDone(page: PageContext, kind: NotificationKind): PageView {
  const { t } = page;
  return {
    title: t("unsubscribe.title"),
    content: html`<h1>${t("unsubscribe.title")}</h1><p
      role="status">${t("unsubscribe.done", { kind: t(kind.label) })}</p>`,
  };
}

export function unsubscribeInvalid(page: PageContext): PageView {
  const { t } = page;
  return {
    title: t("unsubscribe.title"),
    content: html`<h1>${t("unsubscribe.title")}</h1><p role="alert">${t("unsubscribe.invalid")}</p>`,
  };
}

const STATUS_TONE = { sent: "success", pending: "warning", failed: "accent", withdrawn: "neutral" } as const;

export function outboxPage(
  page: PageContext,
  emails: Awaited<ReturnType<typeof recentEmails>>,
  outbox: string | null,
): PageView {
  const { t } = page;
  const content = html`<h1>${t("admin.outbox.title")}</h1>
${outbox ? html`<p>${t("admin.outbox.file")}: <code>${outbox}</code></p>` : ""}
${
  emails.length === 0
    ? html`<p class="empty">${t("admin.outbox.empty")}</p>`
    : html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${t("admin.outbox.when")}</th><th scope="col">${t("admin.outbox.to")}</th><th
  scope="col">${t("admin.outbox.subject")}</th><th scope="col">${t("admin.outbox.status")}</th><th
    scope="col">${t("admin.outbox.attempts")}</th><th scope="col">${t("admin.outbox.error")}</th></tr></thead>
<tbody>${emails.map(
        (e) =>
          html`<tr><td>${timeAgo(page, e.createdAt)}</td><td>${e.toAddress}</td><td>${e.subject}</td><td>${badge(
            t(`admin.outbox.state.${e.status}` as MessageKey),
            STATUS_TONE[e.status],
          )}</td><td>${e.attempts}</td><td>${e.lastError ?? ""}</td></tr>`,
      )}</tbody>
</table></div>`
}`;
  return { title: t("admin.outbox.title"), content };
}
