import { defineApi } from "../http/api.js";
import { localeFromHeader } from "../i18n/i18n.js";
import { listNotificationsQuery, markReadBody, preferencesBody } from "./notifications.schema.js";
import * as notifications from "./notifications.service.js";
export function notificationRoutes(deps) {
    return [
        defineApi({
            method: "GET",
            path: "/notifications",
            tag: "notifications",
            summary: "The caller's notifications, newest first, with the unread count",
            auth: "required",
            query: listNotificationsQuery,
            handler: async ({ actor, query, req }) => notifications.listNotifications(deps, actor, {
                unread: query.unread,
                cursor: query.cursor,
                limit: query.limit,
                locale: notifications.localeOf(actor, localeFromHeader(req.headers["accept-language"])),
            }),
        }),
        defineApi({
            method: "POST",
            path: "/notifications/read",
            tag: "notifications",
            summary: "Mark notifications read: {ids: [...]} or {all: true}",
            auth: "required",
            body: markReadBody,
            handler: async ({ actor, body }) => ({ unreadCount: await notifications.markRead(deps, actor, body) }),
        }),
        defineApi({
            method: "GET",
            path: "/me/notification-preferences",
            tag: "notifications",
            summary: "How the caller hears about each kind: inapp, email, daily, weekly or off",
            auth: "required",
            handler: async ({ actor }) => ({ preferences: await notifications.getPreferences(deps, actor.id) }),
        }),
        defineApi({
            method: "PUT",
            path: "/me/notification-preferences",
            tag: "notifications",
            summary: "Change the channel of some kinds",
            auth: "required",
            body: preferencesBody,
            handler: async ({ actor, body }) => ({
                preferences: await notifications.setPreferences(deps, actor.id, body.preferences),
            }),
        }),
        defineApi({
            method: "GET",
            path: "/admin/emails",
            tag: "notifications",
            summary: "Recent outgoing emails and their delivery state (platform admin)",
            auth: "required",
            handler: async ({ actor }) => ({ emails: await notifications.recentEmails(deps, actor) }),
        }),
    ];
}
