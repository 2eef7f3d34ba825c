import type { NotificationChannel } from "../db/schema.ts";
import type { MessageKey } from "../i18n/i18n.ts";

/** A kind of notification: what it says, what the settings page calls it, and its default channel. */
export interface NotificationKind {
  kind: string;
  defaultChannel: NotificationChannel;
  /** Message with {actor} and {title}. */
  message: MessageKey;
  /** Label on the settings page. */
  label: MessageKey;
}

export const CHANNELS: readonly NotificationChannel[] = ["inapp", "email", "daily", "weekly", "off"];

const kinds = new Map<string, NotificationKind>();

/** The one call other domains use to add a kind (routing, escalation, marketplace...). */
export function registerNotificationKind(kind: NotificationKind): void {
  kinds.set(kind.kind, kind);
}

export function notificationKind(kind: string): NotificationKind | undefined {
  return kinds.get(kind);
}

export function notificationKinds(): NotificationKind[] {
  return [...kinds.values()];
}

const core: [string, NotificationChannel][] = [
  ["reply", "email"],
  ["comment", "inapp"],
  ["question_comment", "inapp"],
  ["accepted", "email"],
  ["mention", "email"],
  ["followed_answered", "daily"],
  ["followed_solved", "email"],
  ["routed", "email"],
  ["escalated", "email"],
  ["moderation", "email"],
];
for (const [kind, defaultChannel] of core) {
  registerNotificationKind({
    kind,
    defaultChannel,
    message: `notify.${kind}` as MessageKey,
    label: `notify.kind.${kind}` as MessageKey,
  });
}
