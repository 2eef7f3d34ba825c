import type { Actor, Deps } from "../http/context.ts";
import type { Db } from "../db/database.ts";
import { ensureMember } from "../communities/communities.service.ts";
import { can, isStaffRole, type CommunityAccess } from "../communities/privileges.ts";
import { forbidden, notFound, validationFailed } from "../lib/errors.ts";
import { hitRateLimit } from "../lib/rate-limit.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import * as q from "./topics.queries.ts";
import { topicWithAccess } from "./topics.service.ts";
import type { CreateTopicInput, EditTopicInput } from "./topics.schema.ts";
import * as announce from "./topics.announce.ts";

/** Checks the privilege, counts the post against the rate limit and makes the author a member. */
async function beforePosting(deps: Deps, access: CommunityAccess, allowed: boolean, message: string): Promise<Actor> {
  const actor = access.actor;
  if (!actor) throw forbidden("You need to log in to do this.");
  if (!allowed) throw forbidden(message);
  await hitRateLimit(deps.db, `post:${actor.id}`, deps.config.rateLimits.post, deps.clock.now());
  return actor;
}

async function replaceTags(db: Db, topicId: number, communityId: number, tags: string[]): Promise<void> {
  await db.deleteFrom("topicTags").where("topicId", "=", topicId).execute();
  if (tags.length) await db.insertInto("topicTags").values(tags.map((tag) => ({ topicId, communityId, tag }))).execute();
}

export async function createTopic(deps: Deps, access: CommunityAccess, input: CreateTopicInput) {
  const actor = await beforePosting(deps, access, can(access, "topic.create"), "Join this community to post.");
  const communityId = access.community.id;
  if (input.categoryId) {
    const category = await deps.db
      .selectFrom("categories")
      .select("id")
      .where("id", "=", input.categoryId)
      .where("communityId", "=", communityId)
      .executeTakeFirst();
    if (!category) throw validationFailed({ categoryId: "Unknown category." });
  }
  const now = deps.clock.now();
  const id = await deps.db.transaction().execute(async (trx) => {
    const topic = await trx
      .insertInto("topics")
      .values({
        communityId,
        categoryId: input.categoryId ?? null,
        authorId: actor.id,
        kind: input.kind,
        title: input.title,
        body: input.body,
        bodyHtml: renderMarkdown(input.body),
        tags: JSON.stringify(input.tags),
        score: 0,
        replyCount: 0,
        followerCount: 0,
        acceptedReplyId: null,
        createdAt: now,
        lastActivityAt: now,
        editedAt: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await replaceTags(trx, topic.id, communityId, input.tags);
    await ensureMember({ db: trx, clock: deps.clock }, communityId, actor.id);
    return topic.id;
  });
  await announce.topicCreated(deps, { id, communityId, authorId: actor.id, title: input.title, communitySlug: access.community.slug }, actor, input.body);
  return (await q.findTopic(deps.db, id))!;
}

export async function createReply(deps: Deps, topicId: number, actor: Actor | null, body: string) {
  const { row: topic, access } = await topicWithAccess(deps, topicId, actor);
  const author = await beforePosting(deps, access, can(access, "reply.create"), "You cannot reply here.");
  const now = deps.clock.now();
  const reply = await deps.db.transaction().execute(async (trx) => {
    const reply = await trx
      .insertInto("replies")
      .values({
        topicId,
        authorId: author.id,
        body,
        bodyHtml: renderMarkdown(body),
        official: isStaffRole(access.role) ? 1 : 0,
        score: 0,
        createdAt: now,
        editedAt: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("topics")
      .set((eb) => ({ replyCount: eb("replyCount", "+", 1), lastActivityAt: now }))
      .where("id", "=", topicId)
      .execute();
    await ensureMember({ db: trx, clock: deps.clock }, access.community.id, author.id);
    return reply;
  });
  await announce.replyCreated(deps, { ...topic, communitySlug: access.community.slug }, reply, author);
  return reply;
}

export async function createComment(deps: Deps, replyId: number, actor: Actor | null, body: string) {
  const reply = await q.findReply(deps.db, replyId);
  if (!reply) throw notFound("Reply");
  const { row: topic, access } = await topicWithAccess(deps, reply.topicId, actor);
  const author = await beforePosting(deps, access, can(access, "comment.create"), "You cannot comment here.");
  const now = deps.clock.now();
  const comment = await deps.db.transaction().execute(async (trx) => {
    const comment = await trx
      .insertInto("comments")
      .values({ replyId, authorId: author.id, body, bodyHtml: renderMarkdown(body), createdAt: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.updateTable("topics").set({ lastActivityAt: now }).where("id", "=", reply.topicId).execute();
    await ensureMember({ db: trx, clock: deps.clock }, access.community.id, author.id);
    return { ...comment, authorName: author.name };
  });
  await announce.commentCreated(deps, { ...topic, communitySlug: access.community.slug }, reply, comment, author);
  return comment;
}

/** The first edit also records the original, so the history always holds every version. */
async function recordRevision(
  db: Db,
  target: { type: "topic" | "reply"; id: number },
  original: { authorId: number; title?: string; body: string; tags?: string; createdAt: number; editedAt: number | null },
  edited: { editorId: number; title?: string; body: string; tags?: string; at: number },
): Promise<void> {
  if (original.editedAt === null) {
    await db
      .insertInto("revisions")
      .values({
        targetType: target.type,
        targetId: target.id,
        editorId: original.authorId,
        title: original.title ?? null,
        body: original.body,
        tags: original.tags ?? null,
        createdAt: original.createdAt,
      })
      .execute();
  }
  await db
    .insertInto("revisions")
    .values({
      targetType: target.type,
      targetId: target.id,
      editorId: edited.editorId,
      title: edited.title ?? null,
      body: edited.body,
      tags: edited.tags ?? null,
      createdAt: edited.at,
    })
    .execute();
}

export async function editTopic(deps: Deps, topicId: number, actor: Actor | null, input: EditTopicInput) {
  const { row, access } = await topicWithAccess(deps, topicId, actor);
  if (!actor) throw forbidden("You need to log in to do this.");
  if (!can(access, "topic.edit", row.authorId)) throw forbidden("You can only edit your own posts.");
  const title = input.title ?? row.title;
  const body = input.body ?? row.body;
  const tags = input.tags ? JSON.stringify(input.tags) : row.tags;
  if (title === row.title && body === row.body && tags === row.tags) return row;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await recordRevision(trx, { type: "topic", id: topicId }, row, { editorId: actor.id, title, body, tags, at: now });
    await trx
      .updateTable("topics")
      .set({ title, body, bodyHtml: body === row.body ? row.bodyHtml : renderMarkdown(body), tags, editedAt: now, lastActivityAt: now })
      .where("id", "=", topicId)
      .execute();
    if (input.tags) await replaceTags(trx, topicId, row.communityId, input.tags);
  });
  return (await q.findTopic(deps.db, topicId))!;
}

export async function editReply(deps: Deps, replyId: number, actor: Actor | null, body: string) {
  const reply = await q.findReply(deps.db, replyId);
  if (!reply) throw notFound("Reply");
  const { access } = await topicWithAccess(deps, reply.topicId, actor);
  if (!actor) throw forbidden("You need to log in to do this.");
  if (!can(access, "reply.edit", reply.authorId)) throw forbidden("You can only edit your own posts.");
  const now = deps.clock.now();
  if (body !== reply.body) {
    await deps.db.transaction().execute(async (trx) => {
      await recordRevision(trx, { type: "reply", id: replyId }, reply, { editorId: actor.id, body, at: now });
      await trx.updateTable("replies").set({ body, bodyHtml: renderMarkdown(body), editedAt: now }).where("id", "=", replyId).execute();
    });
  }
  return deps.db.selectFrom("replies").selectAll().where("id", "=", replyId).executeTakeFirstOrThrow();
}
