import { defineApi, idParams, slugParams } from "../http/api.js";
import { topicWithAccess } from "../topics/index.js";
import { addNote, assign, caseOf, deescalate, escalate, listNotes, resolve } from "./escalation.service.js";
import { listQueue } from "./escalation.queue.js";
import { deleteWebhook, getWebhook, listDeliveries, retryDelivery, setWebhook } from "./webhooks.js";
import { assignBody, deliveryParams, escalateBody, noteBody, queueQuery, resolveBody, webhookBody, } from "./escalation.schema.js";
import { communityAccess } from "../communities/index.js";
/** Escalation, the staff queue (cases, assignment, internal notes, resolution) and the outgoing webhook. */
export function escalationRoutes(deps) {
    return [
        defineApi({
            method: "POST",
            path: "/topics/:id/escalate",
            tag: "escalation",
            summary: "Escalate a topic to staff by hand (staff): it enters the staff queue, the asker is told, the webhook fires",
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
            summary: "Resolve a topic's case in the staff queue with what was done (staff)",
            auth: "required",
            params: idParams,
            body: resolveBody,
            handler: async ({ actor, params, body }) => resolve(deps, params.id, actor, body.resolution),
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
            summary: "A topic's case in the staff queue (reason, since when, assignee, resolution) or null, with the internal notes (staff)",
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
            summary: "Set the outgoing escalation webhook (community admin). Each escalation is POSTed as JSON with X-Crowdservice-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + '.' + body)) and X-Crowdservice-Timestamp, retried with backoff",
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
            handler: async ({ actor, params }) => deleteWebhook(deps, await communityAccess(deps, { slug: params.slug }, actor)),
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
            path: "/communities/:slug/webhook/deliveries/:deliveryId/retry",
            tag: "escalation",
            summary: "Send a failed delivery again (staff)",
            auth: "required",
            params: deliveryParams,
            handler: async ({ actor, params }) => retryDelivery(deps, await communityAccess(deps, { slug: params.slug }, actor), params.deliveryId),
        }),
    ];
}
