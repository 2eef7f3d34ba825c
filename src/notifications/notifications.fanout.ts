import { sql } from "kysely";
import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { Clock } from "../core/clock.ts";
import type { NotificationChannel } from "../db/schema.ts";
import { defineJob, enqueue } from "../jobs/jobs.ts";
import { publish } from "../live/live.hub.ts";
import { channelOf, notificationKind, type NotificationData } from "./notifications.kinds.ts";
import { notificationEmail, queueEmail } from "./notifications.delivery.ts";
import { postShownSql, topicReadableBy, topicWhereItLives } from "../topics/index.ts";
import { transaction, type Tx } from "../core/transaction.ts";
import { lockRows } from "../db/row-locks.ts";

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
