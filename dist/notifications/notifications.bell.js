import { html } from "../web/html.js";
import { unreadCount } from "./notifications.service.js";
/** The bell on every page of a signed-in viewer, with their unread count (a layout part: one indexed count). */
export async function notificationBell(page) {
    if (!page.actor)
        return "";
    const unread = await unreadCount(page.deps, page.actor);
    const { t } = page;
    return html `<a class="bell" href="/me/notifications" data-bell aria-label="${t("notify.bell")}: ${t("notify.bell.unread", { count: unread })}"><svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"/></svg><span class="count" data-unread${unread ? "" : html ` hidden`}>${unread}</span></a>
`;
}
