import type { Db } from "../db/database.ts";
import type { Clock } from "../core/clock.ts";
import type { MessageKey } from "../i18n/i18n.ts";
import type { NotificationChannel } from "../db/schema.ts";
import { notify, registerNotificationAudience, registerNotificationKind } from "../notifications/index.ts";

/** Marketplace notification kinds and their default channel; messages live in marketplace.messages. */
const KINDS = {
  application_submitted: "inapp",
  application_approved: "email",
  application_rejected: "email",
  application_changes: "email",
  helper_suspended: "email",
  booking_requested: "email",
  booking_proposed: "email",
  booking_accepted: "email",
  booking_declined: "email",
  booking_cancelled: "email",
  booking_expired: "email",
  booking_reminder: "email",
  booking_message: "email",
  booking_completed: "email",
  booking_problem: "email",
  booking_problem_upheld: "email",
  booking_problem_dismissed: "email",
  review_received: "inapp",
  job_offered: "email",
  job_unassigned: "email",
} as const satisfies Record<string, NotificationChannel>;

export type MarketKind = keyof typeof KINDS;

/** Kinds only staff receive (the applications and dispatch queues), and kinds only service friends receive. */
const AUDIENCE: Partial<Record<MarketKind, "staff" | "helper">> = {
  application_submitted: "staff",
  job_unassigned: "staff",
  helper_suspended: "helper",
  booking_requested: "helper",
  review_received: "helper",
  job_offered: "helper",
};

for (const [kind, defaultChannel] of Object.entries(KINDS)) {
  registerNotificationKind({
    kind: `market.${kind}`,
    defaultChannel,
    area: "marketplace",
    audience: AUDIENCE[kind as MarketKind] ?? "member",
    message: `notify.market.${kind}` as MessageKey,
    label: `notify.kind.market.${kind}` as MessageKey,
  });
}

/** A service friend (approved, or suspended since) in some community chooses how they hear about helper kinds. */
registerNotificationAudience("helper", async (deps, userId) => {
  const row = await deps.db
    .selectFrom("helpers")
    .select("id")
    .where("userId", "=", userId)
    .where("status", "in", ["approved", "suspended"])
    .executeTakeFirst();
  return row !== undefined;
});

export interface MarketNotice {
  userIds: number[];
  communityId: number;
  actor?: { id: number; name: string } | null;
  /** What happened, unique per event (a retried job does not notify twice). */
  eventKey: string;
  /** What it is about, e.g. "booking:12": notifications about the same subject are shown as one group. */
  subject?: string;
  title: string;
  /** The instant it is about (an appointment): each reader sees it in their locale and the community's zone. */
  at?: number;
  url: string;
  excerpt?: string;
}

/** Sends a marketplace notification through the shared fan-out; pass the transaction of the change. */
export function tell(
  ctx: { db: Db; clock: Clock; wakeJobs?: () => void },
  kind: MarketKind,
  notice: MarketNotice,
): Promise<void> {
  return notify(ctx, {
    kind: `market.${kind}`,
    userIds: notice.userIds,
    communityId: notice.communityId,
    actorId: notice.actor?.id ?? null,
    eventKey: notice.eventKey,
    data: {
      ...(notice.subject ? { subject: notice.subject } : {}),
      title: notice.title,
      ...(notice.at === undefined ? {} : { at: notice.at }),
      url: notice.url,
      actorName: notice.actor?.name,
      ...(notice.excerpt ? { excerpt: notice.excerpt } : {}),
    },
  });
}
