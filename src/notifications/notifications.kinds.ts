import type { Deps } from "../core/deps.ts";
import type { NotificationChannel } from "../db/schema.ts";
import type { MessageKey, Translate } from "../i18n/i18n.ts";
import { dateTimeWithHint, type TimeReader } from "../i18n/time-format.ts";

/** Where a kind sits on the settings page: one section of the grid per area, in this order. */
export const AREAS = ["topics", "ideas", "support", "moderation", "marketplace"] as const;
export type NotificationArea = (typeof AREAS)[number];

/**
 * Who a kind is for: every member, staff (staff, moderators and admins of some community), or
 * approved service friends (helpers). Settings show and accept a kind only for its audience.
 */
export type NotificationAudience = "member" | "staff" | "helper";

/** A kind of notification: what it says, what the settings page calls it, and its default channel. */
export interface NotificationKind {
  kind: string;
  defaultChannel: NotificationChannel;
  /** Message with {actor} and {title}. */
  message: MessageKey;
  /** Label on the settings page. */
  label: MessageKey;
  /** Section of the settings page; "topics" when not said. */
  area?: NotificationArea;
  /** Who may choose how they hear about it; every member when not said. */
  audience?: NotificationAudience;
}

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

export const CHANNELS: readonly NotificationChannel[] = ["inapp", "email", "daily", "weekly", "off"];

const kinds = new Map<string, NotificationKind>();

/** The one call other domains use to add a kind (routing, escalation, marketplace...). */
export function registerNotificationKind(kind: NotificationKind): void {
  kinds.set(kind.kind, kind);
}

export function notificationKind(kind: string): NotificationKind | undefined {
  return kinds.get(kind);
}

/** How a member hears of a kind: their own choice, else the kind's default (in-app for a kind no longer known). */
export function channelOf(kind: string, choice: NotificationChannel | null | undefined): NotificationChannel {
  return choice ?? kinds.get(kind)?.defaultChannel ?? "inapp";
}

export function notificationKinds(): NotificationKind[] {
  return [...kinds.values()];
}

/** Answers whether a member belongs to an audience (one query); the domain that knows the role registers it. */
export type AudienceCheck = (deps: Deps, userId: number) => Promise<boolean>;

const audienceChecks = new Map<Exclude<NotificationAudience, "member">, AudienceCheck>();

/** Staff is checked by the notifications domain itself; the marketplace registers "helper". */
export function registerNotificationAudience(audience: Exclude<NotificationAudience, "member">, check: AudienceCheck) {
  audienceChecks.set(audience, check);
}

export function audienceCheck(audience: Exclude<NotificationAudience, "member">): AudienceCheck | undefined {
  return audienceChecks.get(audience);
}

const core: [string, NotificationChannel, NotificationArea][] = [
  ["reply", "email", "topics"],
  ["comment", "inapp", "topics"],
  ["question_comment", "inapp", "topics"],
  ["accepted", "email", "topics"],
  ["mention", "email", "topics"],
  ["followed_answered", "daily", "topics"],
  ["followed_solved", "email", "topics"],
  ["routed", "email", "support"],
  ["escalated", "email", "support"],
  ["moderation", "email", "moderation"],
];
for (const [kind, defaultChannel, area] of core) {
  registerNotificationKind({
    kind,
    defaultChannel,
    area,
    message: `notify.${kind}` as MessageKey,
    label: `notify.kind.${kind}` as MessageKey,
  });
}

/**
 * What a notification says to one reader, the same in the list, the bell and emails: the kind's
 * message, whose {title} carries the time it is about (a booking's start) in the community's zone
 * and the reader's locale, e.g. "Router setup, Mon, 7 Dec 2026, 10:00 (in 5 days)".
 */
export function notificationText(
  t: Translate,
  reader: TimeReader,
  kind: string,
  data: { title: string; at?: number; actorName?: string; excerpt?: string; excerptLabel?: string },
  actorName: string | null,
): { text: string; title: string; excerpt: string | undefined } {
  const title = data.at === undefined ? data.title : `${data.title}, ${dateTimeWithHint(reader, data.at)}`;
  const message = notificationKind(kind)?.message;
  const label = data.excerptLabel ? t(data.excerptLabel as MessageKey) : undefined;
  return {
    title,
    text: message ? t(message, { actor: actorName ?? data.actorName ?? "", title }) : title,
    excerpt: label && data.excerpt ? `${label}: ${data.excerpt}` : (label ?? data.excerpt),
  };
}
