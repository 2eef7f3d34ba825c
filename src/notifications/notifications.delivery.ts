import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { NotificationChannel } from "../db/schema.ts";
import { defineJob, enqueue } from "../jobs/jobs.ts";
import { isLocale, translator } from "../i18n/i18n.ts";
import { signingSecret, sign } from "../lib/signing.ts";
import { transaction } from "../core/transaction.ts";
import { channelOf, notificationText, type NotificationData } from "./notifications.kinds.ts";
import { composeNotificationEmail } from "./compose.ts";
import { mailerFor } from "./email.ts";
import { shownNotifications } from "./notifications.visibility.ts";

/**
 * Emails of notifications and digests: queued with the notifications they tell of, then checked
 * again, composed again from the notification as it stands and sent by the job queue.
 */

/** The one-click unsubscribe headers (RFC 8058) of an email whose footer links to `url`. */
export const unsubscribeHeaders = (url: string) => ({
  "List-Unsubscribe": `<${url}>`,
  "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
});

export async function unsubscribeUrl(deps: Deps, userId: number, kind: string): Promise<string> {
  const secret = await signingSecret(deps.db);
  const signature = sign(secret, "unsubscribe", `${userId}:${kind}`);
  return `${deps.config.baseUrl}/unsubscribe?u=${userId}&k=${encodeURIComponent(kind)}&s=${signature}`;
}

/** Stores an email and schedules its delivery; the delivery row shows admins its state. */
export async function queueEmail(
  deps: Deps,
  email: {
    userId: number;
    to: string;
    kind: string;
    subject: string;
    text: string;
    html: string;
    headers: Record<string, string>;
    /** The members the email names, whose names leave it if they delete their account before it is sent. */
    actorIds?: (number | null | undefined)[];
    /** The notification it tells of: the email is withdrawn if that is no longer shown when it goes. */
    notificationId?: number;
    /** The notifications a digest lists: withdrawn if one is no longer shown when it goes (see deliverEmailJob). */
    digestOf?: number[];
  },
): Promise<void> {
  const row = await deps.db
    .insertInto("emailDeliveries")
    .values({
      userId: email.userId,
      toAddress: email.to,
      kind: email.kind,
      subject: email.subject,
      textBody: email.text,
      htmlBody: email.html,
      headers: JSON.stringify(email.headers),
      status: "pending",
      attempts: 0,
      lastError: null,
      createdAt: deps.clock.now(),
      sentAt: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const actorIds = [...new Set(email.actorIds?.filter((id): id is number => typeof id === "number"))];
  if (actorIds.length)
    await deps.db
      .insertInto("emailDeliveryActors")
      .values(actorIds.map((userId) => ({ deliveryId: row.id, userId })))
      .execute();
  await enqueue(deps, deliverEmailJob, {
    deliveryId: row.id,
    notificationId: email.notificationId,
    ...(email.digestOf ? { digestOf: email.digestOf } : {}),
  });
}

/** One notification's email to its reader (locale, time zone), composed from its data. */
export async function notificationEmail(
  deps: Deps,
  kind: string,
  data: NotificationData,
  reader: { id: number; locale: string | null; timeZone: string },
) {
  const locale = isLocale(reader.locale) ? reader.locale : "en";
  const timeReader = { locale, timeZone: reader.timeZone, now: deps.clock.now() };
  const { text: message, excerpt } = notificationText(translator(locale), timeReader, kind, data, null);
  const unsubscribe = await unsubscribeUrl(deps, reader.id, kind);
  const email = composeNotificationEmail(locale, message, excerpt, {
    url: deps.config.baseUrl + data.url,
    unsubscribeUrl: unsubscribe,
    settingsUrl: `${deps.config.baseUrl}/me/notifications/settings`,
  });
  return { ...email, headers: unsubscribeHeaders(unsubscribe) };
}

/**
 * Of these notifications, those whose kind their member still hears of on `channel`: an email
 * queued before an unsubscribe or a change of settings (and retried since) does not go after it.
 */
async function stillChosen(db: Db, notificationIds: number[], channel: NotificationChannel): Promise<Set<number>> {
  if (notificationIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("notifications")
    .leftJoin("notificationPreferences as pref", (join) =>
      join.onRef("pref.userId", "=", "notifications.userId").onRef("pref.kind", "=", "notifications.kind"),
    )
    .select(["notifications.id", "notifications.kind", "pref.channel"])
    .where("notifications.id", "in", notificationIds)
    .execute();
  const chosen = rows.filter((r) => channelOf(r.kind, r.channel) === channel);
  return new Set(chosen.map((r) => r.id));
}

/**
 * A queued notification's email composed again, as it goes, from the notification as it stands:
 * its excerpt follows the post's edits (refreshExcerpts), so an edit since it was queued (a phone
 * number taken out) reaches the inbox instead of the text before it. The delivery row gets the
 * same text, so admins see what went.
 */
async function recomposeNotificationEmail(deps: Deps, deliveryId: number, notificationId: number) {
  const row = await deps.db
    .selectFrom("notifications")
    .innerJoin("users", "users.id", "notifications.userId")
    .leftJoin("communities", "communities.id", "notifications.communityId")
    .select([
      "notifications.userId",
      "notifications.kind",
      "notifications.data",
      "users.locale",
      "communities.locale as communityLocale",
      "communities.timeZone",
    ])
    .where("notifications.id", "=", notificationId)
    .executeTakeFirstOrThrow();
  const reader = { id: row.userId, locale: row.locale ?? row.communityLocale, timeZone: row.timeZone ?? "UTC" };
  const email = await notificationEmail(deps, row.kind, JSON.parse(row.data) as NotificationData, reader);
  await deps.db
    .updateTable("emailDeliveries")
    .set({ subject: email.subject, textBody: email.text, htmlBody: email.html })
    .where("id", "=", deliveryId)
    .where("status", "=", "pending")
    .execute();
  return { subject: email.subject, textBody: email.text, htmlBody: email.html };
}

/** Attempts per email before it is marked failed; the job retries with backoff in between. */
export const EMAIL_ATTEMPTS = 6;

/**
 * Withdraws an email that tells of a notification no longer shown to its recipient, or of a kind
 * they no longer hear of by it. The notifications still shown are no longer claimed by it: the
 * next digest lists those of the kinds the member chose for it.
 */
async function withdrawEmail(deps: Deps, deliveryId: number, shown: Set<number>) {
  await transaction(deps, async (tx) => {
    const withdrawn = await tx.db
      .updateTable("emailDeliveries")
      .set({ status: "withdrawn" })
      .where("id", "=", deliveryId)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (shown.size && Number(withdrawn.numUpdatedRows) > 0)
      await tx.db
        .updateTable("notifications")
        .set({ digestedAt: null })
        .where("id", "in", [...shown])
        .execute();
  });
}

export const deliverEmailJob = defineJob<{ deliveryId: number; notificationId?: number; digestOf?: number[] }>({
  name: "notifications.email",
  attempts: EMAIL_ATTEMPTS,
  run: async (deps, { deliveryId, notificationId, digestOf }) => {
    const delivery = await deps.db
      .selectFrom("emailDeliveries")
      .leftJoin("users", "users.id", "emailDeliveries.userId")
      .selectAll("emailDeliveries")
      .select("users.email as memberAddress")
      .where("emailDeliveries.id", "=", deliveryId)
      .executeTakeFirst();
    if (delivery?.status !== "pending") return;
    // Queued minutes or retried hours ago: a post hidden or a topic moved out of reach since then
    // must not reach the inbox when the in-app notification no longer shows it; nor a digest
    // line about it (its title).
    const about = digestOf ?? (notificationId === undefined ? [] : [notificationId]);
    const shown = await shownNotifications(deps.db, about);
    // Nor one of a kind the member stopped since (unsubscribed, another channel chosen).
    const channel = !digestOf ? "email" : delivery.kind === "digest.weekly" ? "weekly" : "daily";
    const chosen = await stillChosen(deps.db, [...shown], channel);
    if (chosen.size < about.length) return withdrawEmail(deps, deliveryId, shown);
    const body =
      notificationId === undefined ? delivery : await recomposeNotificationEmail(deps, deliveryId, notificationId);
    // A notification follows its member: an address moved since it was queued gets it at the new one.
    // (Account emails, such as a link to confirm a new address, keep the address they were written for.)
    const toAddress = about.length && delivery.memberAddress !== null ? delivery.memberAddress : delivery.toAddress;
    const attempts = delivery.attempts + 1;
    try {
      await mailerFor(deps.config).send({
        to: toAddress,
        subject: body.subject,
        text: body.textBody,
        html: body.htmlBody,
        headers: JSON.parse(delivery.headers),
      });
      await deps.db
        .updateTable("emailDeliveries")
        .set({ status: "sent", toAddress, attempts, sentAt: deps.clock.now(), lastError: null })
        .where("id", "=", deliveryId)
        .execute();
    } catch (error) {
      const lastError = error instanceof Error ? error.message : String(error);
      const status = attempts >= EMAIL_ATTEMPTS ? "failed" : "pending";
      await deps.db
        .updateTable("emailDeliveries")
        .set({ status, toAddress, attempts, lastError: lastError.slice(0, 2000) })
        .where("id", "=", deliveryId)
        .execute();
      if (status === "pending") throw error;
    }
  },
});
