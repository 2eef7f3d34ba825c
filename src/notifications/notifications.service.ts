import { avatarUrl } from "../web/avatar.ts";
import type { Actor, Deps } from "../core/deps.ts";
import type { NotificationChannel } from "../db/schema.ts";
import type { Db } from "../db/database.ts";
import { prepared, preparedFirst } from "../db/prepared.ts";
import { forbidden, validationFailed } from "../core/errors.ts";
import { isLocale, translator, type Locale } from "../i18n/i18n.ts";
import { signingSecret, verifySignature } from "../lib/signing.ts";
import { recipientMaySee } from "./notifications.visibility.ts";
import {
  CHANNELS,
  notificationKind,
  notificationKinds,
  notificationText,
  type NotificationData,
} from "./notifications.kinds.ts";
import { outboxDir } from "./email.ts";

function visibleNotifications(db: Db, userId: number) {
  return db
    .selectFrom("notifications")
    .innerJoin("users as recipient", "recipient.id", "notifications.userId")
    .leftJoin("communities", "communities.id", "notifications.communityId")
    .leftJoin("users as actor", "actor.id", "notifications.actorId")
    .where("notifications.userId", "=", userId)
    .where(recipientMaySee);
}

/** How many of a member's visible notifications are unread. */
const unreadQuery = (db: Db, userId: number) =>
  visibleNotifications(db, userId)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("notifications.readAt", "is", null);

/**
 * A member's visible notifications, newest first, each row with the unread count: one round trip
 * for the bell on every signed-in page (the count is an uncorrelated subquery, computed once).
 */
const newestNotifications = (db: Db, userId: number, limit: number) =>
  visibleNotifications(db, userId)
    .select(unreadQuery(db, userId).as("unreadCount"))
    .select([
      "notifications.id",
      "notifications.kind",
      "notifications.topicId",
      "notifications.communityId",
      "notifications.data",
      "notifications.createdAt",
      "notifications.readAt",
      "notifications.actorId",
      "actor.name as actorName",
      "actor.avatarKey as actorAvatarKey",
      "communities.slug as communitySlug",
      "communities.timeZone",
    ])
    .orderBy("notifications.id", "desc")
    .limit(limit);

type FirstNotifications = (
  db: Db,
  values: { userId: number },
) => ReturnType<ReturnType<typeof newestNotifications>["execute"]>;
const firstNotificationsBySize = new Map<number, FirstNotifications>();

/**
 * The bell on every signed-in page reads the first page and the unread count: compiled once
 * (db/prepared.ts) per page size, since SQLite gets the LIMIT written into the SQL
 * (db/inline-limits.ts). Page sizes are few: the bell's, and the API's validated `limit`.
 */
function firstNotifications(db: Db, userId: number, limit: number) {
  let query = firstNotificationsBySize.get(limit);
  if (!query) {
    query = prepared((db, v: { userId: number }) => newestNotifications(db, v.userId, limit));
    firstNotificationsBySize.set(limit, query);
  }
  return query(db, { userId });
}
const unreadOf = preparedFirst((db, v: { userId: number }) => unreadQuery(db, v.userId));

export async function listNotifications(
  deps: Deps,
  actor: Actor,
  options: { unread?: boolean; cursor?: number; limit: number; locale: Locale },
) {
  let rows: Awaited<ReturnType<typeof firstNotifications>>;
  if (options.unread || options.cursor) {
    let query = newestNotifications(deps.db, actor.id, options.limit + 1);
    if (options.unread) query = query.where("notifications.readAt", "is", null);
    if (options.cursor) query = query.where("notifications.id", "<", options.cursor);
    rows = await query.execute();
  } else {
    rows = await firstNotifications(deps.db, actor.id, options.limit + 1);
  }
  const t = translator(options.locale);
  const page = rows.slice(0, options.limit).map((row) => {
    const data = JSON.parse(row.data) as NotificationData;
    const reader = { locale: options.locale, timeZone: row.timeZone ?? "UTC", now: deps.clock.now() };
    const { text, title, excerpt } = notificationText(t, reader, row.kind, data, row.actorName);
    return {
      id: row.id,
      kind: row.kind,
      text,
      title,
      excerpt: excerpt ?? null,
      url: data.url,
      actor: row.actorId
        ? { id: row.actorId, name: row.actorName ?? "", avatarUrl: avatarUrl(row.actorAvatarKey) }
        : null,
      topicId: row.topicId,
      group: groupKey(row.id, row.topicId, data),
      community: row.communitySlug,
      createdAt: new Date(row.createdAt).toISOString(),
      readAt: row.readAt === null ? null : new Date(row.readAt).toISOString(),
    };
  });
  return {
    notifications: page,
    nextCursor: rows.length > options.limit ? page[page.length - 1].id : null,
    // No row on the first page: nothing visible, so nothing unread.
    unreadCount: rows.length ? Number(rows[0].unreadCount) : options.cursor ? await unreadCount(deps, actor) : 0,
  };
}

/**
 * What a notification is about, for showing several as one group: its topic, else the subject its
 * domain named (a booking, an application, a job), else only itself.
 */
export function groupKey(id: number, topicId: number | null, data: NotificationData): string {
  if (topicId !== null) return `topic:${topicId}`;
  return data.subject ? `subject:${data.subject}` : `notification:${id}`;
}

export async function unreadCount(deps: Deps, actor: Actor): Promise<number> {
  return Number((await unreadOf(deps.db, { userId: actor.id }))?.n ?? 0);
}

/**
 * Marks some (only the actor's own) or all notifications read; returns the new unread count. With
 * `upTo` (the newest one the member was shown), "all" leaves those that arrived since unread.
 */
export async function markRead(
  deps: Deps,
  actor: Actor,
  target: { ids?: number[]; all?: boolean; upTo?: number },
): Promise<number> {
  let update = deps.db
    .updateTable("notifications")
    .set({ readAt: deps.clock.now() })
    .where("userId", "=", actor.id)
    .where("readAt", "is", null);
  if (!target.all) update = update.where("id", "in", target.ids!.length ? target.ids! : [-1]);
  else if (target.upTo !== undefined) update = update.where("id", "<=", target.upTo);
  await update.execute();
  return unreadCount(deps, actor);
}

export async function getPreferences(deps: Deps, userId: number) {
  const kinds = notificationKinds();
  const rows = await deps.db
    .selectFrom("notificationPreferences")
    .select(["kind", "channel"])
    .where("userId", "=", userId)
    .execute();
  const chosen = new Map(rows.map((r) => [r.kind, r.channel]));
  return kinds.map((k) => ({
    kind: k.kind,
    channel: chosen.get(k.kind) ?? k.defaultChannel,
    default: k.defaultChannel,
  }));
}

export async function setPreferences(deps: Deps, userId: number, preferences: Record<string, NotificationChannel>) {
  const unknown = Object.keys(preferences).filter((kind) => !notificationKind(kind));
  if (unknown.length)
    throw validationFailed(Object.fromEntries(unknown.map((k) => [`preferences.${k}`, "Unknown notification kind."])));
  const entries = Object.entries(preferences);
  if (entries.length) {
    await deps.db
      .insertInto("notificationPreferences")
      .values(entries.map(([kind, channel]) => ({ userId, kind, channel })))
      .onConflict((oc) => oc.columns(["userId", "kind"]).doUpdateSet((eb) => ({ channel: eb.ref("excluded.channel") })))
      .execute();
  }
  return getPreferences(deps, userId);
}

/**
 * One-click unsubscribe from a signed link: stops emails of one kind for one member (the app
 * still shows them). The signature covers member and kind, so a link cannot be turned to another.
 */
export async function unsubscribe(deps: Deps, userId: number, kind: string, signature: string): Promise<boolean> {
  if (!(await verifyUnsubscribe(deps, userId, kind, signature))) return false;
  // Stopping emails never turns the app's notifications back on for a kind the member turned off.
  const current = (await getPreferences(deps, userId)).find((p) => p.kind === kind)?.channel;
  if (current !== "off") await setPreferences(deps, userId, { [kind]: "inapp" });
  return true;
}

/** A link of a deleted account (or of no account) is no longer valid: its preferences were erased with it. */
export async function verifyUnsubscribe(deps: Deps, userId: number, kind: string, signature: string): Promise<boolean> {
  if (!notificationKind(kind) || !Number.isInteger(userId)) return false;
  if (!verifySignature(await signingSecret(deps.db), "unsubscribe", `${userId}:${kind}`, signature)) return false;
  const member = await deps.db
    .selectFrom("users")
    .select("id")
    .where("id", "=", userId)
    .where("deletedAt", "is", null)
    .executeTakeFirst();
  return member !== undefined;
}

/** Where outgoing emails are written when no SMTP server is configured; null when one is. */
export function outboxLocation(deps: Deps): string | null {
  return deps.config.smtpUrl ? null : outboxDir(deps.config);
}

export function isChannel(value: unknown): value is NotificationChannel {
  return typeof value === "string" && (CHANNELS as readonly string[]).includes(value);
}

export function localeOf(actor: Actor | null, fallback: Locale = "en"): Locale {
  return actor && isLocale(actor.locale) ? actor.locale : fallback;
}

/** Outgoing emails for platform admins: newest first, with delivery state and last error. */
export async function recentEmails(deps: Deps, actor: Actor, limit = 100) {
  if (!actor.isPlatformAdmin) throw forbidden("Only platform admins can see outgoing email.");
  const rows = await deps.db
    .selectFrom("emailDeliveries")
    .select(["id", "toAddress", "kind", "subject", "status", "attempts", "lastError", "createdAt", "sentAt"])
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    ...r,
    createdAt: new Date(r.createdAt).toISOString(),
    sentAt: r.sentAt === null ? null : new Date(r.sentAt).toISOString(),
  }));
}
