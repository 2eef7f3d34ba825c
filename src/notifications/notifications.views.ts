import type { MessageKey } from "../i18n/i18n.ts";
import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { actionButton, badge, timeAgo } from "../web/components.ts";
import { avatar } from "../web/avatar.ts";
import { CHANNELS, notificationKind, type NotificationKind } from "./notifications.kinds.ts";
import type { listNotifications, getPreferences, recentEmails } from "./notifications.service.ts";

type NotificationList = Awaited<ReturnType<typeof listNotifications>>;
type Notification = NotificationList["notifications"][number];

/** Groups notifications by topic, the groups ordered by their newest notification. */
function groupByTopic(items: Notification[]): Notification[][] {
  const groups = new Map<string, Notification[]>();
  for (const n of items) {
    const key = n.topicId ? `topic:${n.topicId}` : `single:${n.id}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  return [...groups.values()];
}

function item(page: PageContext, n: Notification): Html {
  const unread = n.readAt === null;
  return html`<li class="notification${unread ? " unread" : ""}">
${n.actor ? avatar(n.actor, "m") : ""}<a href="${n.url}">${n.text}</a>
${n.excerpt ? html`<p class="excerpt">${n.excerpt}</p>` : ""}
<p class="meta">${timeAgo(page, n.createdAt)}${unread ? html` ${badge(page.t("notify.page.unread"), "info")}` : ""}</p>
${
  unread
    ? actionButton(page, {
        action: "/me/notifications/read",
        label: page.t("notify.page.markRead"),
        className: "link-button",
        fields: { id: String(n.id) },
      })
    : ""
}
</li>`;
}

export function notificationsPage(page: PageContext, list: NotificationList): PageView {
  const { t } = page;
  const groups = groupByTopic(list.notifications);
  const content = html`<div class="page-head">
<h1>${t("notify.page.title")}</h1>
<div class="actions"><a href="/me/notifications/settings">${t("notify.page.preferences")}</a>${
    list.unreadCount > 0
      ? actionButton(page, { action: "/me/notifications/read", label: t("notify.page.markAll"), fields: { all: "1" } })
      : ""
  }</div>
</div>
${
  groups.length === 0
    ? html`<p class="empty">${t("notify.page.empty")}</p>`
    : groups.map(
        (group) => html`<section class="notification-group" aria-label="${group[0].title}">
<h2>${group[0].title}</h2>
<ul class="notifications">${group.map((n) => item(page, n))}</ul>
</section>`,
      )
}
${
  list.nextCursor
    ? html`<p><a
  href="/me/notifications?cursor=${list.nextCursor}">${t("notify.page.more")}</a></p>`
    : ""
}`;
  return { title: t("notify.page.title"), content };
}

export function settingsPage(
  page: PageContext,
  preferences: Awaited<ReturnType<typeof getPreferences>>,
  saved: boolean,
): PageView {
  const { t } = page;
  const rows = preferences.map((p) => {
    const kind = notificationKind(p.kind);
    const label = kind ? t(kind.label) : p.kind;
    return html`<div class="field">
<label for="pref-${p.kind}">${label}</label>
<select id="pref-${p.kind}" name="${p.kind}">${CHANNELS.map(
      (channel) =>
        html`<option value="${channel}"${channel === p.channel ? html` selected` : ""}>${t(
          `notify.channel.${channel}` as MessageKey,
        )}</option>`,
    )}</select>
</div>`;
  });
  const content = html`<h1>${t("notify.prefs.title")}</h1>
${saved ? html`<p class="notice" role="status">${t("notify.prefs.saved")}</p>` : ""}
<p>${t("notify.prefs.intro")}</p>
<form method="post" action="/me/notifications/settings" class="stack">${page.csrfField()}
${rows}
<button type="submit" class="button">${t("notify.prefs.save")}</button>
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

const STATUS_TONE = { sent: "success", pending: "warning", failed: "accent" } as const;

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
            e.status,
            STATUS_TONE[e.status],
          )}</td><td>${e.attempts}</td><td>${e.lastError ?? ""}</td></tr>`,
      )}</tbody>
</table></div>`
}`;
  return { title: t("admin.outbox.title"), content };
}
