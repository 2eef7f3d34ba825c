import type { Deps } from "../core/deps.ts";
import { defineApi, idParams, slugParams } from "../http/api.ts";
import { topicWithAccess } from "../topics/index.ts";
import { addNote, assign, caseOf, deescalate, escalate, listNotes, resolveCase } from "./escalation.service.ts";
import { listQueue } from "./escalation.queue.ts";
import { deleteWebhook, getWebhook, listDeliveries, retryDelivery, setWebhook } from "./webhooks.ts";
import {
  assignBody,
  deliveryParams,
  escalateBody,
  noteBody,
  queueQuery,
  resolveBody,
  webhookBody,
} from "./escalation.schema.ts";
import { communityAccess } from "../communities/index.ts";
import { receiveHelpdeskEvent } from "./helpdesk.ts";
import { listHelpdeskEvents } from "./helpdesk.log.ts";

/** Escalation, the staff queue (cases, assignment, internal notes, resolution) and the outgoing webhook. */
export function escalationRoutes(deps: Deps) {
  return [
    defineApi({
      method: "POST",
      path: "/topics/:id/escalate",
      tag: "escalation",
      summary:
        "Escalate a topic to staff by hand (staff): it enters the staff queue, the asker is told, the webhook fires",
      auth: "required",
      params: idParams,
      body: escalateBody,
      handler: async ({ actor, params, body }) => escalate(deps, params.id, actor, body.note),
    }),
    defineApi({
      method: "DELETE",
      path: "/topics/:id/escalate",
      tag: "escalation",
      summary: "De-escalate a topic (staff): back to the crowd, out of the staff queue",
      auth: "required",
      params: idParams,
      handler: async ({ actor, params }) => deescalate(deps, params.id, actor),
    }),
    defineApi({
      method: "POST",
      path: "/topics/:id/resolve",
      tag: "escalation",
      summary:
        'Resolve a topic\'s case (staff), a required choice: {"resolution":"public","body","accept"?} posts an ' +
        'official reply the asker is notified of (optionally accepted); {"resolution":"private","reason"} closes ' +
        "it with a reason, the asker told support handled it privately. The help desk receives case.resolved",
      auth: "required",
      params: idParams,
      body: resolveBody,
      handler: async ({ actor, params, body }) => resolveCase(deps, params.id, actor, body),
    }),
    defineApi({
      method: "PUT",
      path: "/topics/:id/assignee",
      tag: "escalation",
      summary: "Assign a queued topic to a staff member, or null to unassign (staff)",
      auth: "required",
      params: idParams,
      body: assignBody,
      handler: async ({ actor, params, body }) => assign(deps, params.id, actor, body.userId),
    }),
    defineApi({
      method: "GET",
      path: "/topics/:id/case",
      tag: "escalation",
      summary:
        "A topic's case in the staff queue (reason, since when, assignee, resolution) or null, with the internal " +
        "notes (staff)",
      auth: "required",
      params: idParams,
      handler: async ({ actor, params }) => {
        const { access } = await topicWithAccess(deps, params.id, actor);
        return { case: await caseOf(deps, access, params.id), notes: await listNotes(deps, params.id, actor) };
      },
    }),
    defineApi({
      method: "GET",
      path: "/topics/:id/notes",
      tag: "escalation",
      summary: "Internal staff notes on a topic, oldest first (staff; never shown to members)",
      auth: "required",
      params: idParams,
      handler: async ({ actor, params }) => ({ notes: await listNotes(deps, params.id, actor) }),
    }),
    defineApi({
      method: "POST",
      path: "/topics/:id/notes",
      tag: "escalation",
      summary: "Add an internal note to a topic (staff)",
      auth: "required",
      params: idParams,
      body: noteBody,
      status: 201,
      handler: async ({ actor, params, body }) => ({ note: await addNote(deps, params.id, actor, body.body) }),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/staff/queue",
      tag: "escalation",
      summary: "The staff queue: escalated, staff-only and private topics not yet resolved, oldest first (staff)",
      auth: "required",
      params: slugParams,
      query: queueQuery,
      handler: async ({ actor, params, query }) => ({
        items: await listQueue(deps, await communityAccess(deps, { slug: params.slug }, actor), query),
      }),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/webhook",
      tag: "escalation",
      summary: "The outgoing escalation webhook, with its signing secret, or null (community admin)",
      auth: "required",
      params: slugParams,
      handler: async ({ actor, params }) => ({
        webhook: await getWebhook(deps, await communityAccess(deps, { slug: params.slug }, actor)),
      }),
    }),
    defineApi({
      method: "PUT",
      path: "/communities/:slug/webhook",
      tag: "escalation",
      summary:
        "Set the outgoing escalation webhook (community admin). Each escalation is POSTed as JSON with " +
        "X-Crowdservice-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + '.' + body)) and " +
        "X-Crowdservice-Timestamp, retried with backoff",
      auth: "required",
      params: slugParams,
      body: webhookBody,
      handler: async ({ actor, params, body }) => ({
        webhook: await setWebhook(deps, await communityAccess(deps, { slug: params.slug }, actor), body),
      }),
    }),
    defineApi({
      method: "DELETE",
      path: "/communities/:slug/webhook",
      tag: "escalation",
      summary: "Remove the outgoing webhook (community admin)",
      auth: "required",
      params: slugParams,
      handler: async ({ actor, params }) =>
        deleteWebhook(deps, await communityAccess(deps, { slug: params.slug }, actor)),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/webhook/deliveries",
      tag: "escalation",
      summary: "Webhook deliveries, newest first: status, attempts, last response or error, next attempt (staff)",
      auth: "required",
      params: slugParams,
      handler: async ({ actor, params }) => ({
        deliveries: await listDeliveries(deps, await communityAccess(deps, { slug: params.slug }, actor)),
      }),
    }),
    defineApi({
      method: "POST",
      path: "/communities/:slug/helpdesk/events",
      tag: "escalation",
      summary:
        "Signed events from the community's help desk, no session: ticket.linked, ticket.status, ticket.reply (an " +
        "official reply, optionally solving), ticket.closed (resolves the case). Headers X-Crowdservice-Timestamp " +
        "(seconds, 5 minutes tolerance), X-Crowdservice-Signature: sha256=hex(HMAC-SHA256(webhook secret, " +
        "timestamp + '.' + body)), X-Crowdservice-Delivery (unique; a replay answers duplicate: true). 401 bad " +
        "signature or stale timestamp, 404 a topic of another community",
      // No body schema here: the signature is checked over the exact bytes first (401 before 422),
      // then the body is validated by helpdeskEventBody (escalation.schema.ts).
      params: slugParams,
      handler: async ({ params, req }) =>
        receiveHelpdeskEvent(deps, params.slug, { headers: req.headers, rawBody: req.rawBody }),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/helpdesk/events",
      tag: "escalation",
      summary: "Signed events received from the help desk, newest first, with their outcome (staff)",
      auth: "required",
      params: slugParams,
      handler: async ({ actor, params }) => ({
        events: await listHelpdeskEvents(deps, await communityAccess(deps, { slug: params.slug }, actor)),
      }),
    }),
    defineApi({
      method: "POST",
      path: "/communities/:slug/webhook/deliveries/:deliveryId/retry",
      tag: "escalation",
      summary: "Send a failed delivery again (staff)",
      auth: "required",
      params: deliveryParams,
      handler: async ({ actor, params }) =>
        retryDelivery(deps, await communityAccess(deps, { slug: params.slug }, actor), params.deliveryId),
    }),
  ];
}
