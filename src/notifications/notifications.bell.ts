import { html, type Html } from "../web/html.ts";
import { type PageContext, readsPage } from "../web/layout.ts";
import { localPath } from "../web/page.ts";
import { timeAgo } from "../web/components.ts";
import { listNotificationGroups, type NotificationGroup } from "./notifications.groups.ts";
import { groupSummary, markAllRead } from "./notifications.views.ts";

/** How many groups the bell's menu lists, and how many of the newest notifications it groups them from. */
export const BELL_GROUPS = 10;
const BELL_WINDOW = 30;

function entry(page: PageContext, group: NotificationGroup): Html {
  const unread = group.unreadIds.length > 0;
  return html`<li${unread ? html` class="unread"` : ""}><a href="${group.latest.url}">${groupSummary(
    page,
    group,
  )}</a> <span class="meta">${timeAgo(page, group.latest.createdAt)}${
    unread ? html` <span class="sr-only">${page.t("notify.page.unread")}</span>` : ""
  }</span></li>`;
}

/**
 * The bell on every page of a signed-in viewer: a disclosure (works without script) with the unread
 * count and the latest ten groups, "See all" and "Mark all as read". Only signed-in pages have it,
 * and those are never kept by the page cache (their PageContext is personal).
 */
export async function notificationBell(page: PageContext): Promise<Html | ""> {
  if (!page.actor) return "";
  const { t } = page;
  const list = await listNotificationGroups(page.deps, page.actor, {
    window: BELL_WINDOW,
    groups: BELL_GROUPS,
    locale: page.locale,
  });
  const unread = list.unreadCount;
  const back = readsPage(page.req) ? localPath(page.path, "/me/notifications") : "/me/notifications";
  return html`<details class="bell-menu" data-menu><summary class="bell" data-bell
    aria-label="${t("notify.bell")}: ${t("notify.bell.unread", { count: unread })}"><svg aria-hidden="true"
      viewBox="0 0 24 24" width="20" height="20"><path fill="currentColor"
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7
          0 0 0 5 11v5l-2 2v1h18v-1Z"/></svg><span class="count"
    data-unread${unread ? "" : html` hidden`}>${unread}</span></summary>
<div class="bell-panel" role="region" aria-labelledby="bell-title">
<p id="bell-title" class="bell-title"><strong>${t("notify.bell.title")}</strong></p>
${
  list.groups.length === 0
    ? html`<p class="empty">${t("notify.bell.empty")}</p>`
    : html`<ul class="bell-list">${list.groups.map((group) => entry(page, group))}</ul>`
}
<div class="bell-actions"><a href="/me/notifications">${t("notify.bell.seeAll")}</a>${
    unread > 0 ? markAllRead(page, list, back) : ""
  }</div>
</div></details>
`;
}
