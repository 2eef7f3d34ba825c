import crypto from "node:crypto";
import { conflict, forbidden, notFound } from "../core/errors.js";
import { randomToken } from "../lib/crypto.js";
import { defineJob, enqueue } from "../jobs/jobs.js";
import { can } from "../access/privileges.js";
/**
 * The outgoing webhook of a community: escalations become JSON POSTs to an external help desk,
 * signed with HMAC-SHA256. Each delivery is a row (visible to staff) and a job that retries with
 * backoff, so a receiver that is down, slow or failing never blocks anything and loses nothing.
 *
 * Headers: X-Crowdservice-Event, X-Crowdservice-Delivery (id, for the receiver's idempotency),
 * X-Crowdservice-Timestamp (seconds) and X-Crowdservice-Signature: "sha256=" + hex HMAC-SHA256 of
 * `${timestamp}.${body}` with the webhook's secret.
 */
export const WEBHOOK_ATTEMPTS = 8;
/** 30 s, 1 min, 2 min ... capped at 1 h: about two hours of retries in all. */
export const webhookBackoff = (attempt) => Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);
const SIGNATURE_HEADER = "x-crowdservice-signature";
const TIMESTAMP_HEADER = "x-crowdservice-timestamp";
function signPayload(secret, timestamp, body) {
    return `sha256=${crypto.createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}
function toPublicWebhook(row) {
    return {
        url: row.url,
        secret: row.secret,
        active: row.active === 1,
        timeoutSeconds: row.timeoutSeconds,
        updatedAt: new Date(Number(row.updatedAt)).toISOString(),
    };
}
function requireAdmin(access) {
    if (!can(access, "support.configure"))
        throw forbidden("Only community admins can configure the webhook.");
}
export async function getWebhook(deps, access) {
    requireAdmin(access);
    const row = await deps.db
        .selectFrom("escalationWebhooks")
        .selectAll()
        .where("communityId", "=", access.community.id)
        .executeTakeFirst();
    return row ? toPublicWebhook(row) : null;
}
/** Sets the webhook; a secret is generated unless given (or kept when one exists). */
export async function setWebhook(deps, access, input) {
    requireAdmin(access);
    const existing = await deps.db
        .selectFrom("escalationWebhooks")
        .selectAll()
        .where("communityId", "=", access.community.id)
        .executeTakeFirst();
    const values = {
        url: input.url,
        secret: input.secret ?? existing?.secret ?? randomToken(32),
        active: (input.active ?? true) ? 1 : 0,
        timeoutSeconds: input.timeoutSeconds ?? existing?.timeoutSeconds ?? 5,
        updatedAt: deps.clock.now(),
    };
    await deps.db
        .insertInto("escalationWebhooks")
        .values({ communityId: access.community.id, ...values })
        .onConflict((oc) => oc.column("communityId").doUpdateSet(values))
        .execute();
    return toPublicWebhook(values);
}
export async function deleteWebhook(deps, access) {
    requireAdmin(access);
    await deps.db.deleteFrom("escalationWebhooks").where("communityId", "=", access.community.id).execute();
}
/** Records a delivery of an event to the community's active webhook, if any, and schedules it; pass the transaction of the event. */
export async function queueWebhook(ctx, communityId, topicId, event, data) {
    const hook = await ctx.db
        .selectFrom("escalationWebhooks")
        .select(["url", "active"])
        .where("communityId", "=", communityId)
        .executeTakeFirst();
    if (hook?.active !== 1)
        return;
    const now = ctx.clock.now();
    const delivery = await ctx.db
        .insertInto("webhookDeliveries")
        .values({
        communityId,
        topicId,
        event,
        url: hook.url,
        payload: JSON.stringify({ event, occurredAt: new Date(now).toISOString(), ...data }),
        status: "pending",
        attempts: 0,
        responseStatus: null,
        lastError: null,
        createdAt: now,
        deliveredAt: null,
        nextAttemptAt: now,
    })
        .returning("id")
        .executeTakeFirstOrThrow();
    await enqueue(ctx, deliverWebhookJob, { deliveryId: delivery.id });
}
async function post(url, headers, body, timeoutMs) {
    const res = await fetch(url, {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status;
}
export const deliverWebhookJob = defineJob({
    name: "escalation.webhook",
    attempts: WEBHOOK_ATTEMPTS,
    backoffMs: webhookBackoff,
    run: async (deps, { deliveryId }) => {
        const delivery = await deps.db
            .selectFrom("webhookDeliveries")
            .selectAll()
            .where("id", "=", deliveryId)
            .executeTakeFirst();
        if (delivery?.status !== "pending")
            return;
        const hook = await deps.db
            .selectFrom("escalationWebhooks")
            .select(["secret", "timeoutSeconds"])
            .where("communityId", "=", delivery.communityId)
            .executeTakeFirst();
        const attempts = delivery.attempts + 1;
        let responseStatus = null;
        let error;
        if (!hook) {
            error = "The webhook was removed.";
        }
        else {
            const timestamp = String(Math.floor(deps.clock.now() / 1000));
            const headers = {
                "content-type": "application/json",
                "user-agent": "Crowdservice-Webhook/1",
                "x-crowdservice-event": delivery.event,
                "x-crowdservice-delivery": String(delivery.id),
                [TIMESTAMP_HEADER]: timestamp,
                [SIGNATURE_HEADER]: signPayload(hook.secret, timestamp, delivery.payload),
            };
            try {
                responseStatus = await post(delivery.url, headers, delivery.payload, hook.timeoutSeconds * 1000);
                if (responseStatus >= 200 && responseStatus < 300) {
                    await deps.db
                        .updateTable("webhookDeliveries")
                        .set({
                        status: "sent",
                        attempts,
                        responseStatus,
                        lastError: null,
                        deliveredAt: deps.clock.now(),
                        nextAttemptAt: null,
                    })
                        .where("id", "=", deliveryId)
                        .execute();
                    return;
                }
                error = `The receiver answered ${responseStatus}.`;
            }
            catch (failure) {
                const cause = failure instanceof Error
                    ? (failure.cause?.message ?? failure.message)
                    : String(failure);
                error =
                    failure instanceof Error && failure.name === "TimeoutError"
                        ? `No answer within ${hook.timeoutSeconds} s.`
                        : cause;
            }
        }
        const exhausted = !hook || attempts >= WEBHOOK_ATTEMPTS;
        await deps.db
            .updateTable("webhookDeliveries")
            .set({
            status: exhausted ? "failed" : "pending",
            attempts,
            responseStatus,
            lastError: error.slice(0, 500),
            nextAttemptAt: exhausted ? null : deps.clock.now() + webhookBackoff(attempts),
        })
            .where("id", "=", deliveryId)
            .execute();
        if (!exhausted)
            throw new Error(error);
    },
});
/** Recent deliveries, newest first, for staff. */
export async function listDeliveries(deps, access, limit = 50) {
    if (!can(access, "queue.work"))
        throw forbidden("Only staff can see webhook deliveries.");
    const rows = await deps.db
        .selectFrom("webhookDeliveries")
        .select([
        "id",
        "topicId",
        "event",
        "url",
        "status",
        "attempts",
        "responseStatus",
        "lastError",
        "createdAt",
        "deliveredAt",
        "nextAttemptAt",
    ])
        .where("communityId", "=", access.community.id)
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
    const iso = (ms) => (ms === null ? null : new Date(Number(ms)).toISOString());
    return rows.map((r) => ({
        ...r,
        createdAt: iso(r.createdAt),
        deliveredAt: iso(r.deliveredAt),
        nextAttemptAt: iso(r.nextAttemptAt),
    }));
}
/** Sends a failed delivery again from its first attempt, to the webhook's current address (staff). */
export async function retryDelivery(deps, access, deliveryId) {
    if (!can(access, "queue.work"))
        throw forbidden("Only staff can retry webhook deliveries.");
    const delivery = await deps.db
        .selectFrom("webhookDeliveries")
        .select(["status", "url"])
        .where("id", "=", deliveryId)
        .where("communityId", "=", access.community.id)
        .executeTakeFirst();
    if (!delivery)
        throw notFound("Delivery");
    if (delivery.status !== "failed")
        throw conflict("Only failed deliveries can be retried.");
    const hook = await deps.db
        .selectFrom("escalationWebhooks")
        .select("url")
        .where("communityId", "=", access.community.id)
        .executeTakeFirst();
    await deps.db.transaction().execute(async (trx) => {
        await trx
            .updateTable("webhookDeliveries")
            .set({ status: "pending", attempts: 0, url: hook?.url ?? delivery.url, nextAttemptAt: deps.clock.now() })
            .where("id", "=", deliveryId)
            .execute();
        await enqueue({ db: trx, clock: deps.clock }, deliverWebhookJob, { deliveryId });
    });
    deps.wakeJobs?.();
}
