import { z } from "zod";
import { pageContext } from "../web/layout.js";
import { sendPage } from "../web/page.js";
import { definePage, defineForm } from "../web/page-route.js";
import { notificationKind } from "./notifications.kinds.js";
import { preferencesBody } from "./notifications.schema.js";
import * as notifications from "./notifications.service.js";
import * as views from "./notifications.views.js";
const unsubscribeQuery = z.object({
    u: z.coerce.number().int().positive(),
    k: z.string().max(64),
    s: z.string().max(128),
});
/** A malformed mark-read form marks nothing and goes back to the list, like an empty one. */
const markReadForm = z
    .object({ id: z.coerce.number().int().positive().optional(), all: z.literal("1").optional() })
    .catch({});
const cursorQuery = z.object({ cursor: z.coerce.number().int().positive().optional() }).catch({});
const savedQuery = z.object({ saved: z.literal("1").optional().catch(undefined) });
/** The settings form has one select per kind: other fields, and values that are no channel, are ignored. */
const preferencesInput = (values) => Object.fromEntries(Object.entries(values).filter(([kind, channel]) => notificationKind(kind) && notifications.isChannel(channel)));
/**
 * The unsubscribe link of an email works without logging in: its signature is the authority, so
 * its form carries no CSRF token, and its POST is also the RFC 8058 one-click target. An invalid
 * link answers 400 with its own page. definePage and defineForm cannot say either (a POST page
 * without CSRF, a page with a status other than 200), so this route opens its page itself.
 */
function unsubscribeRoute(deps, method, act, done) {
    return {
        method,
        path: "/unsubscribe",
        handle: async (req, reply) => {
            const page = pageContext(req, reply, deps);
            const link = unsubscribeQuery.safeParse(req.query);
            const kind = link.success ? notificationKind(link.data.k) : undefined;
            if (!link.success || !kind || !(await act(link.data)))
                return sendPage(page, views.unsubscribeInvalid(page), 400);
            return sendPage(page, done(page, kind));
        },
    };
}
/** The member's notifications and preferences, unsubscribe links, and the outgoing email for platform admins. */
export function notificationPages(deps) {
    return [
        definePage(deps, {
            path: "/me/notifications",
            auth: "required",
            query: cursorQuery,
            render: async ({ page, actor, query: { cursor } }) => views.notificationsPage(page, await notifications.listNotifications(deps, actor, { cursor, limit: 50, locale: page.locale })),
        }),
        defineForm(deps, {
            path: "/me/notifications/read",
            schema: markReadForm,
            run: async ({ actor, data }) => {
                await notifications.markRead(deps, actor, data.all ? { all: true } : { ids: data.id ? [data.id] : [] });
                return "/me/notifications";
            },
        }),
        definePage(deps, {
            path: "/me/notifications/settings",
            auth: "required",
            query: savedQuery,
            render: async ({ page, actor, query }) => views.settingsPage(page, await notifications.getPreferences(deps, actor.id), query.saved === "1"),
        }),
        defineForm(deps, {
            path: "/me/notifications/settings",
            schema: preferencesBody.shape.preferences,
            toInput: preferencesInput,
            run: async ({ actor, data }) => {
                await notifications.setPreferences(deps, actor.id, data);
                return "/me/notifications/settings?saved=1";
            },
        }),
        unsubscribeRoute(deps, "GET", (link) => notifications.verifyUnsubscribe(deps, link.u, link.k, link.s), (page, kind) => views.unsubscribeConfirm(page, kind, page.path)),
        unsubscribeRoute(deps, "POST", (link) => notifications.unsubscribe(deps, link.u, link.k, link.s), views.unsubscribeDone),
        definePage(deps, {
            path: "/admin/emails",
            auth: "required",
            render: async ({ page, actor }) => views.outboxPage(page, await notifications.recentEmails(deps, actor), notifications.outboxLocation(deps)),
        }),
    ];
}
