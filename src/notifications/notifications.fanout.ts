import { sql } from "kysely";
import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { Clock } from "../core/clock.ts";
import type { NotificationChannel } from "../db/schema.ts";
import { defineJob, enqueue } from "../jobs/jobs.ts";
import { publish } from "../live/live.hub.ts";
import { isLocale, translator } from "../i18n/i18n.ts";
import { signingSecret, sign } from "../lib/signing.ts";
import { channelOf, notificationKind, notificationText } from "./notifications.kinds.ts";
import { composeNotificationEmail } from "./compose.ts";
import { mailerFor } from "./email.ts";
import { postShownSql, topicReadableBy, topicWhereItLives } from "../topics/index.ts";
import { transaction, type Tx } from "../core/transaction.ts";
import { lockRows } from "../db/row-locks.ts";
import { shownNotifications } from "./notifications.visibility.ts";

export interface NotificationData {
  /** Topic title or short subject. */
  title: string;
  /** Site-relative link to what happened. */
  url: string;
  actorName?: string;
  excerpt?: string;
  /** A catalog message shown before the excerpt, in each reader's language (an idea's new status). */
  excerptLabel?: string;
  /**
   * What it is about when that is not a topic, e.g. "booking:12": the list and the bell show the
   * notifications about one subject (or one topic) as one group.
   */
  subject?: string;
  /** The instant it is about (a booking's start): shown after the title, in the reader's locale and zone. */
  at?: number;
}

export interface NotifyInput {
  kind: string;
  /** Recipients by id. */
  userIds?: number[];
  /** Also everyone following this topic, resolved in the job (there may be thousands). */
  followersOf?: number;
  /** Never these (e.g. already told by a more specific notification). */
  excludeUserIds?: number[];
  communityId: number | null;
  topicId?: number | null;
  /** The reply or comment it is about: once hidden or deleted, nobody hears of it and the notification goes. */
  post?: { type: "reply" | "comment"; id: number };
  actorId?: number | null;
  /** What happened, e.g. "reply:12"; a retried fan-out does not notify twice for the same event. */
  eventKey: string;
  data: NotificationData;
}

/**
 * The one call other domains make: what happened and to whom. The fan-out (visibility, preferences,
 * emails, live updates) runs in the job queue, so a topic with thousands of followers costs the request nothing.
 */
export async function notify(ctx: { db: Db; clock: Clock; wakeJobs?: () => void }, input: NotifyInput): Promise<void> {
  if (!notificationKind(input.kind)) throw new Error(`Unknown notification kind ${input.kind}`);
  if (!input.userIds?.length && input.followersOf === undefined) return;
  await enqueue(ctx, fanoutJob, input);
  ctx.wakeJobs?.();
}

async function recipientIds(db: Db, input: NotifyInput): Promise<number[]> {
  const ids = new Set(input.userIds ?? []);
  if (input.followersOf !== undefined) {
    const followers = await db
      .selectFrom("follows")
      .select("userId")
      .where("topicId", "=", input.followersOf)
      .execute();
    for (const f of followers) ids.add(f.userId);
  }
  for (const id of input.excludeUserIds ?? []) ids.delete(id);
  if (input.actorId) ids.delete(input.actorId);
  return [...ids];
}

const FANOUT_CHUNK = 500;

/** Recipients who may see what the notification is about, with what their email needs. */
async function visibleRecipients(
  deps: Deps,
  input: NotifyInput,
  userIds: number[],
): Promise<{ id: number; email: string; locale: string | null; timeZone: string }[]> {
  let query = deps.db
    .selectFrom("users")
    .select(["users.id", "users.email", "users.locale"])
    .where("users.id", "in", userIds)
    // A deleted account reads nothing and has no mailbox: its notifications and emails were erased with it.
    .where("users.deletedAt", "is", null);
  if (input.communityId !== null) {
    const communityId = input.communityId;
    const community = await deps.db
      .selectFrom("communities")
      .select(["visibility", "locale", "timeZone"])
      .where("id", "=", communityId)
      .executeTakeFirst();
    if (!community) return [];
    // A member banned from the community hears nothing more from it (their follows stay, for if the ban is lifted).
    query = query.where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("communityBans")
            .select("communityBans.userId")
            .whereRef("communityBans.userId", "=", "users.id")
            .where("communityBans.communityId", "=", communityId),
        ),
      ),
    );
    if (community.visibility === "private") {
      query = query.where((eb) =>
        eb.or([
          eb("users.isPlatformAdmin", "=", 1),
          eb.exists(
            eb
              .selectFrom("memberships")
              .select("memberships.userId")
              .whereRef("memberships.userId", "=", "users.id")
              .where("memberships.communityId", "=", communityId),
          ),
        ]),
      );
    }
    // A notification about a topic reaches only who may read that topic (topics.visibility.ts).
    if (input.topicId) {
      const topicId = input.topicId;
      query = query.where(topicReadableBy(sql`${topicId}`, sql.ref("users.id")));
    }
    if (input.post) query = query.where(postShownSql(sql.lit(input.post.type), sql`${input.post.id}`));
    const rows = await query.execute();
    return rows.map((r) => ({ ...r, locale: r.locale ?? community.locale, timeZone: community.timeZone }));
  }
  return (await query.execute()).map((r) => ({ ...r, timeZone: "UTC" }));
}

export async function channelsFor(db: Db, kind: string, userIds: number[]): Promise<Map<number, NotificationChannel>> {
  const rows = userIds.length
    ? await db
        .selectFrom("notificationPreferences")
        .select(["userId", "channel"])
        .where("kind", "=", kind)
        .where("userId", "in", userIds)
        .execute()
    : [];
  const chosen = new Map(rows.map((r) => [r.userId, r.channel]));
  return new Map(userIds.map((id) => [id, channelOf(kind, chosen.get(id))]));
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

type Recipient = Awaited<ReturnType<typeof visibleRecipients>>[number];

/**
 * One notification per recipient and event; a recipient who already has it gets nothing back. One
 * told by its own email counts as delivered by email: no digest lists it again (a member who turns
 * a kind from email to a digest is not sent the notifications they were already mailed).
 */
function insertNotifications(
  db: Db,
  now: number,
  input: NotifyInput,
  recipients: Recipient[],
  channels: Map<number, NotificationChannel>,
) {
  return db
    .insertInto("notifications")
    .values(
      recipients.map((r) => ({
        userId: r.id,
        communityId: input.communityId,
        kind: input.kind,
        topicId: input.topicId ?? null,
        postType: input.post?.type ?? null,
        postId: input.post?.id ?? null,
        actorId: input.actorId ?? null,
        data: JSON.stringify(input.data),
        eventKey: input.eventKey,
        createdAt: now,
        readAt: null,
        digestedAt: channels.get(r.id) === "email" ? now : null,
      })),
    )
    .onConflict((oc) => oc.columns(["userId", "kind", "eventKey"]).doNothing())
    .returning(["id", "userId"])
    .execute();
}

/**
 * The recipients whose account is still open, under a share lock on them until commit: an account
 * deleted since they were chosen gets no notification or email (its erasure ran before), and one
 * deleted now waits for these rows, then erases them with the rest.
 */
async function stillOpenAccounts(tx: Tx, recipients: Recipient[]): Promise<Recipient[]> {
  const ids = recipients.map((r) => r.id);
  await lockRows(tx, "users", ids, { strength: "share" });
  const open = await tx.db
    .selectFrom("users")
    .select("id")
    .where("id", "in", ids)
    .where("deletedAt", "is", null)
    .execute();
  const openIds = new Set(open.map((r) => r.id));
  return recipients.filter((r) => openIds.has(r.id));
}

/** One notification's email to its reader (locale, time zone), composed from its data. */
async function notificationEmail(
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

async function queueNotificationEmail(deps: Deps, input: NotifyInput, recipient: Recipient, notificationId: number) {
  await queueEmail(deps, {
    userId: recipient.id,
    to: recipient.email,
    kind: input.kind,
    ...(await notificationEmail(deps, input.kind, input.data, recipient)),
    actorIds: [input.actorId],
    notificationId,
  });
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

export const fanoutJob = defineJob<NotifyInput>({
  name: "notifications.fanout",
  run: async (deps, queued) => {
    const kind = notificationKind(queued.kind);
    if (!kind) return;
    // A topic merged since the event is read, and told of, where its content went.
    const input = queued.topicId ? { ...queued, topicId: await topicWhereItLives(deps, queued.topicId) } : queued;
    const userIds = await recipientIds(deps.db, input);
    for (let i = 0; i < userIds.length; i += FANOUT_CHUNK) {
      const recipients = await visibleRecipients(deps, input, userIds.slice(i, i + FANOUT_CHUNK));
      const channels = await channelsFor(
        deps.db,
        input.kind,
        recipients.map((r) => r.id),
      );
      const wanted = recipients.filter((r) => channels.get(r.id) !== "off");
      if (wanted.length === 0) continue;
      // The notifications and their emails commit together: a fan-out that fails between them and
      // runs again would find the notifications already there and never queue their emails.
      const inserted = await transaction(deps, async (tx) => {
        // The members' rows first, the order votes and account deletions take them in (the other
        // order deadlocks with a recipient's vote on the topic).
        const open = await stillOpenAccounts(tx, wanted);
        if (open.length === 0) return [];
        // Again under the topic's share lock: a merge waits for these rows, then moves them with
        // the topic's other notifications (notifications.topicMerged), or committed first.
        const topicId = input.topicId ? await topicWhereItLives(tx, input.topicId) : input.topicId;
        const rows = await insertNotifications(tx.db, deps.clock.now(), { ...input, topicId }, open, channels);
        const recipientById = new Map(wanted.map((r) => [r.id, r]));
        for (const row of rows) {
          const recipient = recipientById.get(row.userId);
          if (recipient && channels.get(row.userId) === "email")
            await queueNotificationEmail({ ...deps, db: tx.db }, input, recipient, row.id);
        }
        return rows;
      });
      for (const row of inserted)
        await publish(deps, `user:${row.userId}`, "notification", { id: row.id, kind: input.kind });
    }
    deps.wakeJobs?.();
  },
});

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
