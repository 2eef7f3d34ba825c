import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import type { NotificationChannel } from "../db/schema.ts";
import { recordId } from "../http/api.ts";
import { pageContext, type PageContext, type PageView } from "../web/layout.ts";
import { localPath, sendPage } from "../web/page.ts";
import { withDone } from "../web/done.ts";
import type { FormValues } from "../web/forms.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import { notificationKind, type NotificationKind } from "./notifications.kinds.ts";
import { preferencesBody } from "./notifications.schema.ts";
import * as notifications from "./notifications.service.ts";
import * as views from "./notifications.views.ts";
import { listNotificationGroups } from "./notifications.groups.ts";
import { kindsFor, preferencesFor, setPreferencesFor } from "./notifications.audience.ts";

const unsubscribeQuery = z.object({
  u: recordId(),
  k: z.string().max(64),
  s: z.string().max(128),
});
type UnsubscribeLink = z.infer<typeof unsubscribeQuery>;

const notificationId = recordId();

/**
 * Mark read: one notification (`id`), one group (`ids`, comma-separated, as the page lists them) or
 * `all` (up to `upTo`, the newest one the page showed), then back to `next` (the page the bell was
 * on) with a confirmation. A malformed form marks nothing and goes back to the list, like an empty one.
 */
const markReadForm = z
  .object({
    id: notificationId.optional(),
    ids: z
      .string()
      .max(4000)
      .transform((v): unknown[] => v.split(",").filter(Boolean))
      .pipe(z.array(notificationId).max(500))
      .optional(),
    all: z.literal("1").optional(),
    upTo: notificationId.optional(),
    next: z.string().max(2000).optional(),
  })
  .catch({});
const cursorQuery = z.object({ cursor: recordId().optional() }).catch({});
const savedQuery = z.object({ saved: z.literal("1").optional().catch(undefined) });

/** The settings form has one select per kind: other fields, and values that are no channel, are ignored. */
const preferencesInput = (values: FormValues) =>
  Object.fromEntries(
    Object.entries(values).filter(([kind, channel]) => notificationKind(kind) && notifications.isChannel(channel)),
  );

/**
 * The unsubscribe link of an email works without logging in: its signature is the authority, so
 * its form carries no CSRF token, and its POST is also the RFC 8058 one-click target. An invalid
 * link answers 400 with its own page. definePage and defineForm cannot say either (a POST page
 * without CSRF, a page with a status other than 200), so this route opens its page itself.
 */
function unsubscribeRoute(
  deps: Deps,
  method: PageRoute["method"],
  act: (link: UnsubscribeLink) => Promise<boolean>,
  done: (page: PageContext, kind: NotificationKind) => PageView,
): PageRoute {
  return {
    method,
    path: "/unsubscribe",
    handle: async (req, reply) => {
      const page = pageContext(req, reply, deps);
      const link = unsubscribeQuery.safeParse(req.query);
      const kind = link.success ? notificationKind(link.data.k) : undefined;
      if (!link.success || !kind || !(await act(link.data))) return sendPage(page, views.unsubscribeInvalid(page), 400);
      return sendPage(page, done(page, kind));
    },
  };
}

/** The member's notifications and preferences, unsubscribe links, and the outgoing email for platform admins. */
export function notificationPages(deps: Deps): PageRoute[] {
  return [
    definePage(deps, {
      path: "/me/notifications",
      auth: "required",
      query: cursorQuery,
      render: async ({ page, actor, query: { cursor } }) =>
        views.notificationsPage(
          page,
          await listNotificationGroups(deps, actor, { cursor, window: 100, locale: page.locale }),
        ),
    }),

    defineForm(deps, {
      path: "/me/notifications/read",
      schema: markReadForm,
      run: async ({ actor, data }) => {
        const ids = [...(data.id ? [data.id] : []), ...(data.ids ?? [])];
        await notifications.markRead(deps, actor, data.all ? { all: true, upTo: data.upTo } : { ids });
        return withDone(localPath(data.next, "/me/notifications"), "read");
      },
    }),

    definePage(deps, {
      path: "/me/notifications/settings",
      auth: "required",
      query: savedQuery,
      render: async ({ page, actor, query }) =>
        views.settingsPage(page, await preferencesFor(deps, actor), query.saved === "1"),
    }),

    defineForm(deps, {
      path: "/me/notifications/settings",
      schema: preferencesBody.shape.preferences,
      toInput: preferencesInput,
      run: async ({ actor, data }) => {
        // Fields for kinds not shown to this member (staff-only, helper-only) are ignored, like unknown ones.
        const visible = new Set((await kindsFor(deps, actor)).map((k) => k.kind));
        const chosen = Object.entries(data as Record<string, NotificationChannel>).filter(([kind]) =>
          visible.has(kind),
        );
        await setPreferencesFor(deps, actor, Object.fromEntries(chosen));
        return "/me/notifications/settings?saved=1";
      },
    }),

    unsubscribeRoute(
      deps,
      "GET",
      (link) => notifications.verifyUnsubscribe(deps, link.u, link.k, link.s),
      (page, kind) => views.unsubscribeConfirm(page, kind, page.path),
    ),
    unsubscribeRoute(
      deps,
      "POST",
      (link) => notifications.unsubscribe(deps, link.u, link.k, link.s),
      views.unsubscribeDone,
    ),

    definePage(deps, {
      path: "/admin/emails",
      auth: "required",
      render: async ({ page, actor }) =>
        views.outboxPage(page, await notifications.recentEmails(deps, actor), notifications.outboxLocation(deps)),
    }),
  ];
}
