import { sql } from "kysely";
import type { Deps } from "../core/deps.ts";
import { defineJob, enqueue } from "../jobs/jobs.ts";
import { isLocale, translator } from "../i18n/i18n.ts";
import { notificationKinds, notificationText } from "./notifications.kinds.ts";
import { recipientMaySee } from "./notifications.visibility.ts";
import { queueEmail, unsubscribeHeaders, unsubscribeUrl } from "./notifications.delivery.ts";
import type { NotificationData } from "./notifications.kinds.ts";
import { composeDigestEmail } from "./compose.ts";
import { DAY_MS } from "../lib/durations.ts";

export type DigestPeriod = "daily" | "weekly";

/** Digests go out at 07:00 UTC; weekly ones on Mondays. */
const SEND_HOUR_UTC = 7;

export function nextDigestTime(period: DigestPeriod, now: number): number {
  const d = new Date(now);
  let at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), SEND_HOUR_UTC);
  if (at <= now) at += DAY_MS;
  if (period === "weekly") while (new Date(at).getUTCDay() !== 1) at += DAY_MS;
  return at;
}

/** Schedules the next digest of a period; the dedupe key makes it safe to call at every start. */
export async function scheduleDigest(deps: Deps, period: DigestPeriod): Promise<void> {
  const at = nextDigestTime(period, deps.clock.now());
  await enqueue(
    deps,
    digestJob,
    { period },
    { runAt: at, dedupeKey: `digest:${period}:${new Date(at).toISOString().slice(0, 10)}` },
  );
}

/**
 * At most this many notifications go in one digest, oldest first; the rest stay unclaimed and go in
 * the next one, so a digest claims exactly what it lists.
 */
export const DIGEST_MAX_ITEMS = 50;

/**
 * Each member's notifications for this period's digest (their choice for the kind, or its default),
 * not yet read nor digested and that they may still see: the oldest DIGEST_MAX_ITEMS per member.
 */
function digestRows(deps: Deps, period: DigestPeriod) {
  const byDefault = notificationKinds()
    .filter((kind) => kind.defaultChannel === period)
    .map((kind) => kind.kind);
  const pending = deps.db
    .selectFrom("notifications")
    .innerJoin("users as recipient", "recipient.id", "notifications.userId")
    .leftJoin("communities", "communities.id", "notifications.communityId")
    .leftJoin("users as actor", "actor.id", "notifications.actorId")
    .leftJoin("notificationPreferences as pref", (join) =>
      join.onRef("pref.userId", "=", "notifications.userId").onRef("pref.kind", "=", "notifications.kind"),
    )
    .select([
      "notifications.id",
      "notifications.userId",
      "notifications.kind",
      "notifications.data",
      "notifications.actorId",
      "recipient.email",
      "recipient.locale",
      "communities.locale as communityLocale",
      "communities.timeZone",
      "actor.name as actorName",
      sql<number>`row_number() over (partition by notifications.user_id order by notifications.id)`.as("rank"),
    ])
    .where((eb) =>
      eb.or([
        eb("pref.channel", "=", period),
        ...(byDefault.length
          ? [eb.and([eb("pref.channel", "is", null), eb("notifications.kind", "in", byDefault)])]
          : []),
      ]),
    )
    .where("notifications.digestedAt", "is", null)
    .where("notifications.readAt", "is", null)
    .where(recipientMaySee);
  return deps.db
    .selectFrom(pending.as("pending"))
    .select(["id", "userId", "kind", "data", "actorId", "email", "locale", "communityLocale", "timeZone", "actorName"])
    .where("rank", "<=", DIGEST_MAX_ITEMS)
    .orderBy("userId")
    .orderBy("id")
    .execute();
}

/**
 * One email per member and period with the notifications they chose to get in this digest and
 * have neither read nor received in an earlier digest (DIGEST_MAX_ITEMS at most).
 */
export async function sendDigests(deps: Deps, period: DigestPeriod): Promise<number> {
  const rows = await digestRows(deps, period);
  const byUser = new Map<number, typeof rows>();
  for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row]);
  let sent = 0;
  for (const [userId, listed] of byUser) {
    // Each notification goes into one digest: claimed in the transaction that queues the email, so
    // two runs at once (a late run and the next one, two workers) cannot both send it.
    const claimed = await deps.db.transaction().execute(async (trx) => {
      const tx = { ...deps, db: trx };
      const ids = await trx
        .updateTable("notifications")
        .set({ digestedAt: deps.clock.now() })
        .where(
          "id",
          "in",
          listed.map((i) => i.id),
        )
        .where("digestedAt", "is", null)
        // Read since the digest was listed (mark all read meanwhile): seen, so not mailed.
        .where("readAt", "is", null)
        .returning("id")
        .execute();
      const mine = new Set(ids.map((r) => r.id));
      const items = listed.filter((item) => mine.has(item.id));
      if (items.length) await queueDigest(tx, period, userId, items);
      return items.length > 0;
    });
    if (claimed) sent++;
  }
  return sent;
}

type DigestItem = Awaited<ReturnType<typeof digestRows>>[number];

/** Composes one member's digest of `items` (not empty) and queues its email. */
async function queueDigest(deps: Deps, period: DigestPeriod, userId: number, items: DigestItem[]) {
  const first = items[0];
  const locale = isLocale(first.locale) ? first.locale : isLocale(first.communityLocale) ? first.communityLocale : "en";
  const t = translator(locale);
  const lines = items.map((item) => {
    const data = JSON.parse(item.data) as NotificationData;
    const reader = { locale, timeZone: item.timeZone ?? "UTC", now: deps.clock.now() };
    const message = notificationText(t, reader, item.kind, data, item.actorName).text;
    return { message, url: deps.config.baseUrl + data.url };
  });
  const subject = t(period === "daily" ? "email.digest.subject.daily" : "email.digest.subject.weekly", {
    count: items.length,
  });
  // Unsubscribing from a digest stops the kind of its first item; the settings link covers the rest.
  const unsubscribe = await unsubscribeUrl(deps, userId, first.kind);
  const email = composeDigestEmail(locale, subject, lines, {
    unsubscribeUrl: unsubscribe,
    settingsUrl: `${deps.config.baseUrl}/me/notifications/settings`,
  });
  await queueEmail(deps, {
    userId,
    to: first.email,
    kind: `digest.${period}`,
    ...email,
    headers: unsubscribeHeaders(unsubscribe),
    actorIds: items.map((item) => item.actorId),
    digestOf: items.map((item) => item.id),
  });
}

/**
 * Schedules the next digest first: a run that fails every attempt would otherwise end the chain,
 * and no digest would go again until a restart.
 */
export const digestJob = defineJob<{ period: DigestPeriod }>({
  name: "notifications.digest",
  run: async (deps, { period }) => {
    await scheduleDigest(deps, period);
    await sendDigests(deps, period);
    deps.wakeJobs?.();
  },
});
