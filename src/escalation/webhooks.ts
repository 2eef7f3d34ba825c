import crypto from "node:crypto";
import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { Clock } from "../core/clock.ts";
import type { CommunityAccess } from "../access/access.ts";
import { conflict, fieldRefused, forbidden, notFound } from "../core/errors.ts";
import { randomToken } from "../lib/crypto.ts";
import { defineJob, enqueue } from "../jobs/jobs.ts";
import { namesInternalAddress, postOutbound } from "../lib/outbound-http.ts";
import { transaction, type Tx } from "../core/transaction.ts";
import { recordCommunityAudit } from "../audit/audit.ts";

import type { WebhookInput } from "./escalation.schema.ts";
import { toPublicTopic } from "../topics/index.ts";

type TopicRow = Parameters<typeof toPublicTopic>[0];

/**
 * What every outgoing event says about its topic: the community, the topic (with its absolute
 * address) and the asker with name and email. Personal data goes only to the help desk the
 * community's admin chose.
 */
export async function webhookSubject(ctx: Ctx, row: TopicRow, baseUrl: string) {
  const [community, asker] = await Promise.all([
    ctx.db
      .selectFrom("communities")
      .select(["id", "slug", "name"])
      .where("id", "=", row.communityId)
      .executeTakeFirstOrThrow(),
    ctx.db.selectFrom("users").select(["id", "name", "email"]).where("id", "=", row.authorId).executeTakeFirstOrThrow(),
  ]);
  const topic = toPublicTopic(row, community);
  return { community, topic: { ...topic, url: baseUrl + topic.url }, asker };
}
import { can } from "../access/privileges.ts";
import { iso } from "../lib/iso-time.ts";

/**
 * The outgoing webhook of a community: escalations and what follows them (topic.escalated,
 * topic.updated, topic.solved, case.resolved) become JSON POSTs to an external help desk,
 * signed with HMAC-SHA256. Each carries the asker's name and email, so the help desk opens the
 * ticket for the right customer. Each delivery is a row (visible to staff) and a job that retries with
 * backoff, so a receiver that is down, slow or failing never blocks anything and loses nothing.
 *
 * Headers: X-Crowdservice-Event, X-Crowdservice-Delivery (id, for the receiver's idempotency),
 * X-Crowdservice-Timestamp (seconds) and X-Crowdservice-Signature: "sha256=" + hex HMAC-SHA256 of
 * `${timestamp}.${body}` with the webhook's secret.
 */
export const WEBHOOK_ATTEMPTS = 8;
/** 30 s, 1 min, 2 min ... capped at 1 h: about two hours of retries in all. */
export const webhookBackoff = (attempt: number) => Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);
const SIGNATURE_HEADER = "x-crowdservice-signature";
const TIMESTAMP_HEADER = "x-crowdservice-timestamp";

/** The signature of both directions: "sha256=" + hex HMAC-SHA256 of `${timestamp}.${body}`. */
export function signPayload(secret: string, timestamp: string, body: string): string {
  return `sha256=${crypto.createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

type Ctx = { db: Db; clock: Clock };

/** What an admin learns of a delivery: delivered, failed with the receiver's status, or unreachable. */
const UNREACHABLE = "The receiver could not be reached.";
const failedMessage = (status: number) => `The receiver answered ${status}.`;
type Outcome = "delivered" | "failed" | "unreachable" | null;

function outcomeOf(row: { status: string; responseStatus: number | null; lastError: string | null }): Outcome {
  if (row.status === "sent") return "delivered";
  if (row.responseStatus !== null) return "failed";
  return row.lastError === null ? null : "unreachable";
}

function toPublicWebhook(row: {
  url: string;
  secret: string;
  active: number;
  timeoutSeconds: number;
  updatedAt: number;
}) {
  return {
    url: row.url,
    secret: row.secret,
    active: row.active === 1,
    timeoutSeconds: row.timeoutSeconds,
    updatedAt: new Date(Number(row.updatedAt)).toISOString(),
  };
}

function requireAdmin(access: CommunityAccess): void {
  if (!can(access, "support.configure")) throw forbidden("Only community admins can configure the webhook.");
}

export async function getWebhook(deps: Deps, access: CommunityAccess) {
  requireAdmin(access);
  const row = await deps.db
    .selectFrom("escalationWebhooks")
    .selectAll()
    .where("communityId", "=", access.community.id)
    .executeTakeFirst();
  return row ? toPublicWebhook(row) : null;
}

/** Sets the webhook; a secret is generated unless given (or kept when one exists). */
export async function setWebhook(deps: Deps, access: CommunityAccess, input: WebhookInput) {
  requireAdmin(access);
  // Names that resolve to internal addresses are refused when a delivery connects.
  if (!deps.config.webhookAllowPrivateNetworks && namesInternalAddress(input.url))
    throw fieldRefused(
      "url",
      "Use a public address: this server does not call its own network.",
      "webhook.publicAddress",
    );
  const communityId = access.community.id;
  const now = deps.clock.now();
  const saved = await transaction(deps, async (tx) => {
    // One statement: what the input leaves out keeps the value stored when it writes, not one read
    // before, so another admin pausing the webhook or rotating its secret meanwhile is not undone.
    const row = await tx.db
      .insertInto("escalationWebhooks")
      .values({
        communityId,
        url: input.url,
        secret: input.secret ?? randomToken(32),
        active: input.active === false ? 0 : 1,
        timeoutSeconds: input.timeoutSeconds ?? 5,
        updatedAt: now,
      })
      .onConflict((oc) =>
        oc.column("communityId").doUpdateSet({
          url: input.url,
          updatedAt: now,
          ...(input.secret === undefined ? {} : { secret: input.secret }),
          // Left out, it stays as it was: a paused webhook is not resumed by a change of address.
          ...(input.active === undefined ? {} : { active: input.active ? 1 : 0 }),
          ...(input.timeoutSeconds === undefined ? {} : { timeoutSeconds: input.timeoutSeconds }),
        }),
      )
      .returning(["url", "secret", "active", "timeoutSeconds", "updatedAt"])
      .executeTakeFirstOrThrow();
    await auditWebhook(tx, access, "webhook.update", row);
    return row;
  });
  return toPublicWebhook(saved);
}

/**
 * Records an admin's change of the webhook. The audit log keeps where escalations (with the asker's name and
 * email) go, whether they go, and the timeout: never the signing secret, nor credentials in the address.
 */
function auditWebhook(
  tx: Tx,
  access: CommunityAccess,
  action: "webhook.update" | "webhook.delete",
  row: { url: string; active: number; timeoutSeconds: number },
) {
  const { url, active, timeoutSeconds } = row;
  return recordCommunityAudit(tx, access, action, { url: withoutSecrets(url), active: active === 1, timeoutSeconds });
}

/**
 * Removes the webhook. Its deliveries still waiting for a retry fail with it: a webhook created later
 * (another receiver, another secret) must not be sent what was meant for this one; staff may retry
 * one by hand.
 */
export async function deleteWebhook(deps: Deps, access: CommunityAccess): Promise<void> {
  requireAdmin(access);
  const communityId = access.community.id;
  await transaction(deps, async (tx) => {
    const trx = tx.db;
    const removed = await trx
      .deleteFrom("escalationWebhooks")
      .where("communityId", "=", communityId)
      .returning(["url", "active", "timeoutSeconds"])
      .executeTakeFirst();
    // Removing a webhook that is not there changes nothing and logs nothing.
    if (removed) await auditWebhook(tx, access, "webhook.delete", removed);
    await trx
      .updateTable("webhookDeliveries")
      .set({ status: "failed", lastError: UNREACHABLE, nextAttemptAt: null })
      .where("communityId", "=", communityId)
      .where("status", "=", "pending")
      .execute();
  });
}

/**
 * Records a delivery of an event to the community's active webhook, if any, and schedules it;
 * pass the transaction of the event. With a `dedupeKey` a second call for the same subject
 * records nothing (subscribers run at least once).
 */
export async function queueWebhook(
  ctx: Ctx,
  communityId: number,
  topicId: number | null,
  event: string,
  data: Record<string, unknown>,
  dedupeKey?: string,
): Promise<void> {
  const hook = await ctx.db
    .selectFrom("escalationWebhooks")
    .select(["url", "active"])
    .where("communityId", "=", communityId)
    .executeTakeFirst();
  if (hook?.active !== 1) return;
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
      dedupeKey: dedupeKey ?? null,
    })
    .onConflict((oc) => oc.columns(["communityId", "dedupeKey"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (delivery) await enqueue(ctx, deliverWebhookJob, { deliveryId: delivery.id });
}

export const deliverWebhookJob = defineJob<{ deliveryId: number }>({
  name: "escalation.webhook",
  attempts: WEBHOOK_ATTEMPTS,
  backoffMs: webhookBackoff,
  run: async (deps, { deliveryId }) => {
    // The delivery and the webhook in one read: a delivery still pending was not failed by a removal
    // of the webhook (deleteWebhook fails them in its transaction), so the webhook read with it is the
    // one it waits for, never one created after a removal.
    const row = await deps.db
      .selectFrom("webhookDeliveries")
      .leftJoin("escalationWebhooks", "escalationWebhooks.communityId", "webhookDeliveries.communityId")
      .selectAll("webhookDeliveries")
      .select([
        "escalationWebhooks.communityId as hookCommunityId",
        "escalationWebhooks.secret as hookSecret",
        "escalationWebhooks.timeoutSeconds as hookTimeoutSeconds",
        "escalationWebhooks.url as hookUrl",
        "escalationWebhooks.active as hookActive",
      ])
      .where("webhookDeliveries.id", "=", deliveryId)
      .executeTakeFirst();
    if (row?.status !== "pending") return;
    const { hookCommunityId, hookSecret, hookTimeoutSeconds, hookUrl, hookActive, ...delivery } = row;
    const hook =
      hookCommunityId === null
        ? undefined
        : { secret: hookSecret!, timeoutSeconds: hookTimeoutSeconds!, url: hookUrl!, active: hookActive! };
    const attempts = delivery.attempts + 1;
    // A failure is written only while the delivery is as read: one failed meanwhile (its webhook removed
    // while the receiver answered) stays failed, and its job ends rather than retrying it to whatever
    // webhook is set next; one staff sent again meanwhile belongs to its new job.
    const stillAsRead = () =>
      deps.db
        .updateTable("webhookDeliveries")
        .where("id", "=", deliveryId)
        .where("status", "=", "pending")
        .where("attempts", "=", delivery.attempts);
    // Retries go where the webhook points now, and stop while an admin has paused it (staff may
    // retry a failed delivery once it runs again).
    const paused = hook?.active !== 1;
    const url = hook?.url ?? delivery.url;
    let responseStatus: number | null = null;
    let error: string;
    let cause: string | undefined;
    if (!hook || paused) {
      error = UNREACHABLE;
      cause = hook ? "The webhook is paused." : "The webhook was removed.";
    } else {
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
        responseStatus = await postOutbound({
          url,
          headers,
          body: delivery.payload,
          timeoutMs: hook.timeoutSeconds * 1000,
          allowInternal: deps.config.webhookAllowPrivateNetworks,
        });
        if (responseStatus >= 200 && responseStatus < 300) {
          // Delivered, whatever happened to the webhook meanwhile: the row says so.
          await deps.db
            .updateTable("webhookDeliveries")
            .set({
              status: "sent",
              url,
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
        error = failedMessage(responseStatus);
      } catch (failure) {
        // The socket's own error (refused, reset, timed out, internal address) would map the
        // network behind the receiver for whoever reads the log: it stays in the job's row, which
        // only the operator sees.
        cause = failure instanceof Error ? failure.message : String(failure);
        error = UNREACHABLE;
      }
    }
    const exhausted = paused || attempts >= WEBHOOK_ATTEMPTS;
    const recorded = await stillAsRead()
      .set({
        status: exhausted ? "failed" : "pending",
        url,
        attempts,
        responseStatus,
        lastError: error.slice(0, 500),
        nextAttemptAt: exhausted ? null : deps.clock.now() + webhookBackoff(attempts),
      })
      .executeTakeFirst();
    if (!exhausted && Number(recorded.numUpdatedRows) === 1) throw new Error(cause ?? error);
  },
});

/**
 * A delivery's address as staff see it: credentials in it (https://user:token@desk.example/) and the
 * values of its query (https://desk.example/hook?token=...) are the admin's secret, like the signing
 * secret: left out, and the query's names kept with "*" for their values.
 */
function withoutSecrets(raw: string): string {
  if (!URL.canParse(raw)) return raw;
  const url = new URL(raw);
  if (!url.username && !url.password && !url.search) return raw;
  url.username = "";
  url.password = "";
  for (const name of new Set(url.searchParams.keys())) url.searchParams.set(name, "*");
  return url.href;
}

/** Recent deliveries, newest first, for staff. */
export async function listDeliveries(deps: Deps, access: CommunityAccess, limit = 50) {
  if (!can(access, "queue.work")) throw forbidden("Only staff can see webhook deliveries.");
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
  return rows.map((r) => {
    const outcome = outcomeOf(r);
    return {
      ...r,
      url: withoutSecrets(r.url),
      outcome,
      // Rows written before the SSRF guard may hold raw socket errors: never shown.
      lastError:
        outcome === "failed" ? failedMessage(r.responseStatus!) : outcome === "unreachable" ? UNREACHABLE : null,
      createdAt: iso(r.createdAt)!,
      deliveredAt: iso(r.deliveredAt),
      nextAttemptAt: iso(r.nextAttemptAt),
    };
  });
}

/** Sends a failed delivery again from its first attempt, to the webhook's current address (staff). */
export async function retryDelivery(deps: Deps, access: CommunityAccess, deliveryId: number): Promise<void> {
  if (!can(access, "queue.work")) throw forbidden("Only staff can retry webhook deliveries.");
  const delivery = await deps.db
    .selectFrom("webhookDeliveries")
    .select(["status", "url"])
    .where("id", "=", deliveryId)
    .where("communityId", "=", access.community.id)
    .executeTakeFirst();
  if (!delivery) throw notFound("Delivery");
  if (delivery.status !== "failed") throw conflict("Only failed deliveries can be retried.");
  const hook = await deps.db
    .selectFrom("escalationWebhooks")
    .select("url")
    .where("communityId", "=", access.community.id)
    .executeTakeFirst();
  await deps.db.transaction().execute(async (trx) => {
    // Two retries at once: the status condition lets one of them send it again, the other gets 409.
    const retried = await trx
      .updateTable("webhookDeliveries")
      .set({ status: "pending", attempts: 0, url: hook?.url ?? delivery.url, nextAttemptAt: deps.clock.now() })
      .where("id", "=", deliveryId)
      .where("status", "=", "failed")
      .executeTakeFirst();
    if (Number(retried.numUpdatedRows) !== 1) throw conflict("Only failed deliveries can be retried.");
    await enqueue({ db: trx, clock: deps.clock }, deliverWebhookJob, { deliveryId });
  });
  deps.wakeJobs?.();
}
