import { sql } from "kysely";
import type { Actor, Deps } from "../core/deps.ts";
import { can, type Privilege } from "../access/privileges.ts";
import { recordAudit } from "../audit/audit.ts";
import { forbidden, validationFailed } from "../core/errors.ts";
import { recountReplies, topicWithAccess } from "../topics/topics.service.ts";
import { assertNotSuspended } from "./moderation.policy.ts";
import { tellMember } from "./moderation.posts.ts";
import { enqueueIndexTopic } from "../search/search.index.ts";

/** Moderator actions on whole topics: lock and unlock, move to another category, merge into another topic. */

async function moderatedTopic(deps: Deps, id: number, actor: Actor, privilege: Privilege, message: string) {
  const { row, access } = await topicWithAccess(deps, id, actor);
  assertNotSuspended(access);
  if (!can(access, privilege)) throw forbidden(message);
  return { row, access };
}

/** Locks a topic (no more replies or comments) or unlocks it. */
export async function setLocked(deps: Deps, actor: Actor, id: number, locked: boolean) {
  const { row, access } = await moderatedTopic(deps, id, actor, "topic.lock", "Only moderators can lock topics.");
  if (Boolean(row.locked) !== locked) {
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("topics")
        .set({ locked: locked ? 1 : 0 })
        .where("id", "=", id)
        .execute();
      await recordAudit(
        { db: trx, clock: deps.clock },
        {
          communityId: access.community.id,
          actorId: actor.id,
          action: locked ? "topic.lock" : "topic.unlock",
          targetType: "topic",
          targetId: id,
        },
      );
    });
  }
  return { topicId: id, locked };
}

/** Moves a topic to another category of its community (or to none). */
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
  if (row.categoryId !== categoryId) {
    await deps.db.transaction().execute(async (trx) => {
      await trx.updateTable("topics").set({ categoryId }).where("id", "=", id).execute();
      await recordAudit(
        { db: trx, clock: deps.clock },
        {
          communityId: access.community.id,
          actorId: actor.id,
          action: "topic.move",
          targetType: "topic",
          targetId: id,
          details: { from: row.categoryId, to: categoryId },
        },
      );
    });
  }
  return { topicId: id, categoryId };
}

/**
 * Merges a topic into another of the same community: its question becomes a reply there, its
 * replies (with their comments and votes) and followers move over, and the merged topic's address
 * leads to the other one. One transaction, both topics locked on PostgreSQL.
 */
export async function mergeTopic(deps: Deps, actor: Actor, id: number, intoId: number) {
  if (id === intoId) throw validationFailed({ intoTopicId: "A topic cannot be merged into itself." });
  const { row: source, access } = await moderatedTopic(
    deps,
    id,
    actor,
    "topic.merge",
    "Only moderators can merge topics.",
  );
  const target = await topicWithAccess(deps, intoId, actor).catch(() => null);
  if (!target || target.row.communityId !== source.communityId || target.row.moderationState !== "visible") {
    throw validationFailed({ intoTopicId: "Choose a visible topic of the same community." });
  }
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const ctx = { db: trx, clock: deps.clock };
    if (deps.dialect === "postgres")
      await trx.selectFrom("topics").select("id").where("id", "in", [id, intoId]).orderBy("id").forUpdate().execute();
    await trx
      .insertInto("replies")
      .values({
        topicId: intoId,
        authorId: source.authorId,
        body: source.body,
        bodyHtml: source.bodyHtml,
        official: 0,
        score: 0,
        createdAt: source.createdAt,
        editedAt: null,
      })
      .execute();
    await trx.updateTable("replies").set({ topicId: intoId }).where("topicId", "=", id).execute();
    await sql`insert into follows (topic_id, user_id, created_at)
      select ${intoId}, f.user_id, f.created_at from follows f where f.topic_id = ${id}
      on conflict do nothing`.execute(trx);
    await trx
      .updateTable("topics")
      .set({ moderationState: "merged", mergedIntoId: intoId, acceptedReplyId: null, replyCount: 0 })
      .where("id", "=", id)
      .execute();
    await recountReplies(trx, intoId);
    await enqueueIndexTopic(ctx, intoId); // the merged replies are now searchable under the target
    await trx
      .updateTable("topics")
      .set((eb) => ({
        followerCount: eb
          .selectFrom("follows")
          .select((f) => f.fn.countAll<number>().as("n"))
          .where("follows.topicId", "=", intoId),
        lastActivityAt: Math.max(now, Number(target.row.lastActivityAt)),
      }))
      .where("id", "=", intoId)
      .execute();
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
