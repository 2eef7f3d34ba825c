import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import type { NotificationChannel } from "../db/schema.ts";
import { forbidden } from "../core/errors.ts";
import { pageContext } from "../web/layout.ts";
import { redirect, requireActor, sendPage } from "../web/page.ts";
import { parseForm } from "../web/forms.ts";
import { notificationKind } from "./notifications.kinds.ts";
import * as notifications from "./notifications.service.ts";
import * as views from "./notifications.views.ts";

const unsubscribeQuery = z.object({
  u: z.coerce.number().int().positive(),
  k: z.string().max(64),
  s: z.string().max(128),
});
const markReadForm = z.object({ id: z.coerce.number().int().positive().optional(), all: z.literal("1").optional() });
const cursorQuery = z.object({ cursor: z.coerce.number().int().positive().optional() });

export function registerNotificationPages(app: FastifyInstance, deps: Deps): void {
  app.get("/me/notifications", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    const { cursor } = cursorQuery.catch({}).parse(req.query);
    const result = await notifications.listNotifications(deps, actor, { cursor, limit: 50, locale: page.locale });
    return sendPage(page, views.notificationsPage(page, result));
  });

  app.post("/me/notifications/read", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    const form = parseForm(page, markReadForm);
    if (!form.ok) return redirect(reply, "/me/notifications");
    await notifications.markRead(
      deps,
      actor,
      form.data.all ? { all: true } : { ids: form.data.id ? [form.data.id] : [] },
    );
    return redirect(reply, "/me/notifications");
  });

  app.get("/me/notifications/settings", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    const saved = (req.query as Record<string, string>).saved === "1";
    return sendPage(page, views.settingsPage(page, await notifications.getPreferences(deps, actor.id), saved));
  });

  app.post("/me/notifications/settings", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    const form = parseForm(page, z.record(z.string(), z.string()));
    if (!form.ok) return redirect(reply, "/me/notifications/settings");
    const chosen: Record<string, NotificationChannel> = {};
    for (const [kind, channel] of Object.entries(form.data)) {
      if (notificationKind(kind) && notifications.isChannel(channel)) chosen[kind] = channel;
    }
    await notifications.setPreferences(deps, actor.id, chosen);
    return redirect(reply, "/me/notifications/settings?saved=1");
  });

  // Unsubscribe links work without logging in: the signature in the link is the authority,
  // so these forms carry no CSRF token. POST is also the RFC 8058 one-click target.
  app.get("/unsubscribe", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const query = unsubscribeQuery.safeParse(req.query);
    const kind = query.success ? notificationKind(query.data.k) : undefined;
    if (
      !query.success ||
      !kind ||
      !(await notifications.verifyUnsubscribe(deps, query.data.u, query.data.k, query.data.s))
    ) {
      return sendPage(page, views.unsubscribeInvalid(page), 400);
    }
    return sendPage(page, views.unsubscribeConfirm(page, kind, req.url));
  });

  app.post("/unsubscribe", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const query = unsubscribeQuery.safeParse(req.query);
    const kind = query.success ? notificationKind(query.data.k) : undefined;
    if (!query.success || !kind || !(await notifications.unsubscribe(deps, query.data.u, query.data.k, query.data.s))) {
      return sendPage(page, views.unsubscribeInvalid(page), 400);
    }
    return sendPage(page, views.unsubscribeDone(page, kind));
  });

  app.get("/admin/emails", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    if (!actor.isPlatformAdmin) throw forbidden("Only platform admins can see outgoing email.");
    return sendPage(
      page,
      views.outboxPage(
        page,
        await notifications.recentEmails(deps),
        deps.config.smtpUrl ? null : notifications.outboxLocation(deps),
      ),
    );
  });
}
