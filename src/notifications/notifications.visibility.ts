import { sql, type ExpressionBuilder, type RawBuilder, type SqlBool } from "kysely";
import { postShownSql, topicReadableBy } from "../topics/index.ts";
import type { Database } from "../db/schema.ts";
import type { Db } from "../db/database.ts";

/**
 * A kind's own condition for staying shown, over the notification's topic and recipient: what it
 * asked of them may be over (a question routed to an expert that another routed expert answered).
 */
export type ShownWhile = (topicId: RawBuilder<unknown>, userId: RawBuilder<unknown>) => RawBuilder<SqlBool>;

let conditions: [kind: string, shownWhile: ShownWhile][] = [];

/** Installed by the composition root, before the first notification is read (queries compile once). */
export function installNotificationConditions(byKind: Record<string, ShownWhile>): void {
  conditions = Object.entries(byKind);
}

/**
 * A notification stays visible only while its recipient may see what it is about, and while its
 * kind's own condition holds (see ShownWhile): a private
 * community they left, a topic since moved where they may not read it (the one rule of
 * topics.visibility.ts), or a reply or comment since hidden or deleted, hides it. So does a ban from
 * its community (even a public one, which they may still read): a banned member hears nothing more
 * from it, not an email queued or a digest built after the ban; lifting the ban brings it back.
 * Checked at read time, when digests are built and again when an email goes.
 */
export function recipientMaySee(
  eb: ExpressionBuilder<Database & { recipient: Database["users"] }, "notifications" | "communities" | "recipient">,
) {
  const community = eb.or([
    eb("notifications.communityId", "is", null),
    eb("communities.visibility", "=", "public"),
    eb("recipient.isPlatformAdmin", "=", 1),
    eb.exists(
      eb
        .selectFrom("memberships")
        .select("memberships.userId")
        .whereRef("memberships.communityId", "=", "notifications.communityId")
        .whereRef("memberships.userId", "=", "notifications.userId"),
    ),
  ]);
  const banned = eb.exists(
    eb
      .selectFrom("communityBans")
      .select("communityBans.userId")
      .whereRef("communityBans.communityId", "=", "notifications.communityId")
      .whereRef("communityBans.userId", "=", "notifications.userId"),
  );
  const topic = eb.or([
    eb("notifications.topicId", "is", null),
    topicReadableBy(sql.ref("notifications.topicId"), sql.ref("notifications.userId")),
  ]);
  const ownConditions = conditions.map(([kind, shownWhile]) =>
    eb.or([
      eb("notifications.kind", "<>", kind),
      shownWhile(sql.ref("notifications.topicId"), sql.ref("notifications.userId")),
    ]),
  );
  return eb.and([
    community,
    eb.not(banned),
    topic,
    postShownSql(sql.ref("notifications.postType"), sql.ref("notifications.postId")),
    ...ownConditions,
  ]);
}

/**
 * Which of these notifications still exist and are still shown to their recipients (checked again
 * before their email goes: one notification's, or every one a digest lists).
 */
export async function shownNotifications(db: Db, notificationIds: readonly number[]): Promise<Set<number>> {
  if (notificationIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("notifications")
    .innerJoin("users as recipient", "recipient.id", "notifications.userId")
    .leftJoin("communities", "communities.id", "notifications.communityId")
    .select("notifications.id")
    .where("notifications.id", "in", [...notificationIds])
    .where(recipientMaySee)
    .execute();
  return new Set(rows.map((r) => r.id));
}
