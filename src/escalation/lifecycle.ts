import type { Db } from "../db/database.ts";
import type { Clock } from "../core/clock.ts";
import type { TopicKind } from "../db/schema.ts";
import { SOLVABLE_KINDS } from "../topics/topics.policy.ts";
import { refreshExpertise } from "../routing/expertise.service.ts";
import { markRouteAnswered, scheduleRouting } from "../routing/routing.service.ts";
import { openCase } from "./escalation.service.ts";
import { clearAbandoned, scheduleAbandonCheck, scheduleSla } from "./escalation.timers.ts";

/**
 * What the topics domain tells routing and escalation when something happens to a topic. Each
 * hook takes the transaction of the change, so the change and the work it schedules (routing,
 * SLA and abandonment timers, expertise updates, the staff queue) commit together and survive a
 * restart; the work itself runs in the job queue.
 */
type Ctx = { db: Db; clock: Clock };

export async function topicPosted(
  ctx: Ctx,
  topic: { id: number; communityId: number; categoryId: number | null; kind: TopicKind; createdAt: number },
): Promise<void> {
  const category = topic.categoryId
    ? await ctx.db
        .selectFrom("categories")
        .select(["scope", "firstResponseMinutes", "resolutionMinutes"])
        .where("id", "=", topic.categoryId)
        .executeTakeFirst()
    : undefined;
  const scope = category?.scope ?? "crowd";
  // Staff answer staff-only and private categories: their topics wait in the staff queue.
  if (scope !== "crowd") await openCase(ctx, topic, "staff_only");
  if (!SOLVABLE_KINDS.includes(topic.kind)) return;
  if (category) await scheduleSla(ctx, topic, category);
  if (scope === "crowd") await scheduleRouting(ctx, topic.id);
}

export async function replyPosted(
  ctx: Ctx,
  topic: { id: number; authorId: number; communityId: number },
  reply: { authorId: number; createdAt: number },
): Promise<void> {
  await clearAbandoned(ctx, topic.id);
  if (reply.authorId === topic.authorId) return;
  await markRouteAnswered(ctx, topic.id, reply.authorId);
  await scheduleAbandonCheck(ctx, topic.id, reply.createdAt);
  await refreshExpertise(ctx, { communityId: topic.communityId, userIds: [reply.authorId] });
}

export async function commentPosted(
  ctx: Ctx,
  topic: { id: number; authorId: number },
  authorId: number,
): Promise<void> {
  if (authorId === topic.authorId) await clearAbandoned(ctx, topic.id);
}

/** A solution accepted or withdrawn changes the expertise of the topic's answerers. */
export async function solutionChanged(ctx: Ctx, topic: { id: number; communityId: number }): Promise<void> {
  await clearAbandoned(ctx, topic.id);
  await refreshExpertise(ctx, { communityId: topic.communityId, topicId: topic.id });
}

/** A vote on a reply changes its author's expertise. */
export async function replyScored(ctx: Ctx, communityId: number, authorId: number): Promise<void> {
  await refreshExpertise(ctx, { communityId, userIds: [authorId] });
}
