import type { Actor, Deps } from "../core/deps.ts";
import { can, type Privilege } from "../access/privileges.ts";
import { recordAudit } from "../audit/audit.ts";
import { fieldRefused, forbidden, validationFailed } from "../core/errors.ts";
import { topicWithAccess } from "../topics/index.ts";
import { lockTopicAsItIs, mergeTopicInto, setTopicCategory, setTopicLocked, wouldReveal } from "../topics/index.ts";
import { transaction } from "../core/transaction.ts";

import { moveReviewToMergedQuestion, tellMember } from "./moderation.posts.ts";
import { assertNotSuspended } from "../access/access.ts";

/** Moderator actions on whole topics: lock and unlock, move to another category, merge into another topic. */

async function moderatedTopic(deps: Deps, id: number, actor: Actor, privilege: Privilege, message: string) {
  const { row, access } = await topicWithAccess(deps, id, actor);
  assertNotSuspended(access);
  if (!can(access, privilege)) throw forbidden(message);
  return { row, access };
}

/**
 * Locks a topic (no more replies or comments) or unlocks it. Decided under the topic's lock, on the
 * topic as it is then: a second moderator doing the same at once changes and logs nothing.
 */
export async function setLocked(deps: Deps, actor: Actor, id: number, locked: boolean) {
  const { row, access } = await moderatedTopic(deps, id, actor, "topic.lock", "Only moderators can lock topics.");
  await transaction(deps, async (tx) => {
    if (Boolean((await lockTopicAsItIs(tx, id)).locked) === locked) return;
    await setTopicLocked(tx, row, locked);
    await recordAudit(tx, {
      communityId: access.community.id,
      actorId: actor.id,
      action: locked ? "topic.lock" : "topic.unlock",
      targetType: "topic",
      targetId: id,
    });
  });
  return { topicId: id, locked };
}

/**
 * Moves a topic to another category of its community (or to none), from the category it is in under
 * the topic's lock: a move at the same moment is what this one moves it from, or already did it.
 */
export async function moveTopic(deps: Deps, actor: Actor, id: number, categoryId: number | null) {
  const { row, access } = await moderatedTopic(deps, id, actor, "topic.move", "Only moderators can move topics.");
  if (categoryId !== null) {
    const category = await deps.db
      .selectFrom("categories")
      .select("id")
      .where("id", "=", categoryId)
      .where("communityId", "=", access.community.id)
      .executeTakeFirst();
    if (!category) throw validationFailed({ categoryId: "Unknown category." });
  }
  await transaction(deps, async (tx) => {
    const { categoryId: from } = await lockTopicAsItIs(tx, id);
    if (from === categoryId) return;
    await setTopicCategory(tx, { ...row, categoryId: from }, categoryId);
    await recordAudit(tx, {
      communityId: access.community.id,
      actorId: actor.id,
      action: "topic.move",
      targetType: "topic",
      targetId: id,
      details: { from, to: categoryId },
    });
  });
  return { topicId: id, categoryId };
}

/**
 * Merges a topic into another of the same community: its question becomes a reply there, its
 * replies (with their comments and votes), its voters and followers move over (each person
 * once), and the merged topic's address leads to the other one. One transaction, both topics locked on PostgreSQL.
 */
export async function mergeTopic(
  deps: Deps,
  actor: Actor,
  id: number,
  { intoTopicId: intoId, confirmPublish }: { intoTopicId: number; confirmPublish: boolean },
) {
  if (id === intoId) throw fieldRefused("intoTopicId", "A topic cannot be merged into itself.", "mod.mergeSelf");
  const { row: source, access } = await moderatedTopic(
    deps,
    id,
    actor,
    "topic.merge",
    "Only moderators can merge topics.",
  );
  const target = await topicWithAccess(deps, intoId, actor).catch(() => null);
  if (!target || target.row.communityId !== source.communityId || target.row.moderationState !== "visible") {
    throw fieldRefused("intoTopicId", "Choose a visible topic of the same community.", "mod.mergeTarget");
  }
  if (!confirmPublish && wouldReveal(source, target.row)) {
    throw fieldRefused(
      "confirmPublish",
      "This topic is less visible than the one it goes into (private, champions only, held or hidden): " +
        "merging publishes its content there. Confirm to merge anyway.",
      "mod.mergeConfirmNeeded",
    );
  }
  await transaction(deps, async (ctx) => {
    await mergeTopicInto(ctx, source, {
      id: intoId,
      authorId: target.row.authorId,
      lastActivityAt: Number(target.row.lastActivityAt),
    });
    await moveReviewToMergedQuestion(ctx.db, id);
    await recordAudit(ctx, {
      communityId: access.community.id,
      actorId: actor.id,
      action: "topic.merge",
      targetType: "topic",
      targetId: id,
      details: { into: intoId },
    });
    if (source.authorId !== actor.id) {
      const url = `/c/${access.community.slug}/t/${intoId}`;
      await tellMember(ctx, {
        userId: source.authorId,
        communityId: access.community.id,
        topicId: intoId,
        actorId: actor.id,
        action: `merge:${id}`,
        title: source.title,
        url,
      });
    }
  });
  return { topicId: id, mergedInto: intoId, url: `/c/${access.community.slug}/t/${intoId}` };
}
