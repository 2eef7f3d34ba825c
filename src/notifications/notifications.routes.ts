import type { Deps } from "../core/deps.ts";
import type { NotificationChannel } from "../db/schema.ts";
import { defineApi } from "../http/api.ts";
import { localeFromHeader } from "../i18n/i18n.ts";
import { listNotificationsQuery, markReadBody, preferencesBody } from "./notifications.schema.ts";
import * as notifications from "./notifications.service.ts";
import { preferencesFor, setPreferencesFor } from "./notifications.audience.ts";

export function notificationRoutes(deps: Deps) {
  return [
    defineApi({
      method: "GET",
      path: "/notifications",
      tag: "notifications",
      summary: "The caller's notifications, newest first, with the unread count",
      auth: "required",
      query: listNotificationsQuery,
      handler: async ({ actor, query, req }) =>
        notifications.listNotifications(deps, actor, {
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
      summary: "Mark notifications read: {ids: [...]} or {all: true}, with upTo: the newest id shown",
      auth: "required",
      body: markReadBody,
      handler: async ({ actor, body }) => ({ unreadCount: await notifications.markRead(deps, actor, body) }),
    }),
    defineApi({
      method: "POST",
      path: "/notifications/read-all",
      tag: "notifications",
      summary: "Mark every notification of the caller read; answers the new unread count (0)",
      auth: "required",
      handler: async ({ actor }) => ({ unreadCount: await notifications.markRead(deps, actor, { all: true }) }),
    }),
    defineApi({
      method: "GET",
      path: "/me/notification-preferences",
      tag: "notifications",
      summary: "How the caller hears about each kind meant for them: inapp, email, daily, weekly or off",
      auth: "required",
      handler: async ({ actor }) => ({ preferences: await preferencesFor(deps, actor) }),
    }),
    defineApi({
      method: "PUT",
      path: "/me/notification-preferences",
      tag: "notifications",
      summary: "Change the channel of some kinds (422 for a kind not meant for the caller, e.g. staff-only)",
      auth: "required",
      body: preferencesBody,
      handler: async ({ actor, body }) => ({
        preferences: await setPreferencesFor(deps, actor, body.preferences as Record<string, NotificationChannel>),
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
