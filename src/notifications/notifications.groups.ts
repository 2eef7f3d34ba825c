import type { Actor, Deps } from "../core/deps.ts";
import type { Locale } from "../i18n/i18n.ts";
import { listNotifications } from "./notifications.service.ts";

type NotificationList = Awaited<ReturnType<typeof listNotifications>>;
export type Notification = NotificationList["notifications"][number];

/** Notifications about one topic or one subject (a booking...), shown as one entry. */
export interface NotificationGroup {
  key: string;
  /** The newest one: its text, actor, time and link stand for the group. */
  latest: Notification;
  /** Newest first. */
  items: Notification[];
  unreadIds: number[];
}

/** Kinds that are all "a new reply": a group of only these says "3 new replies". */
const REPLY_KINDS = new Set(["reply", "followed_answered"]);

/** Groups a newest-first list by what it is about; the groups keep the order of their newest notification. */
export function groupNotifications(items: readonly Notification[]): NotificationGroup[] {
  const groups = new Map<string, NotificationGroup>();
  for (const n of items) {
    let group = groups.get(n.group);
    if (!group) {
      group = { key: n.group, latest: n, items: [], unreadIds: [] };
      groups.set(n.group, group);
    }
    group.items.push(n);
    if (n.readAt === null) group.unreadIds.push(n.id);
  }
  return [...groups.values()];
}

/** Whether every notification of a group is a reply (its summary then says "replies"). */
export function allReplies(group: NotificationGroup): boolean {
  return group.items.every((n) => REPLY_KINDS.has(n.kind));
}

/**
 * The member's notifications as groups, newest first, from one query over a page of `window`
 * notifications (older ones of a group come with the next page), and the unread count.
 */
export async function listNotificationGroups(
  deps: Deps,
  actor: Actor,
  options: { cursor?: number; window: number; groups?: number; locale: Locale },
) {
  const list = await listNotifications(deps, actor, {
    cursor: options.cursor,
    limit: options.window,
    locale: options.locale,
  });
  const groups = groupNotifications(list.notifications);
  return {
    groups: options.groups === undefined ? groups : groups.slice(0, options.groups),
    nextCursor: list.nextCursor,
    unreadCount: list.unreadCount,
    /** The newest notification listed, on the first page ("Mark all as read" stops there). */
    newestId: options.cursor === undefined ? list.notifications[0]?.id : undefined,
  };
}

export type NotificationGroups = Awaited<ReturnType<typeof listNotificationGroups>>;
