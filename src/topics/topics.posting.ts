import type { Actor, Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { PostType } from "../db/schema.ts";
import { ensureMember } from "../communities/communities.service.ts";
import { isStaffRole, type CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { forbidden, notFound, validationFailed } from "../core/errors.ts";
import { hitRateLimit } from "../lib/rate-limit.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import * as q from "./topics.queries.ts";
import { topicWithAccess } from "./topics.service.ts";
import type { CreateTopicInput, EditTopicInput } from "./topics.schema.ts";
import * as announce from "./topics.announce.ts";
import { canSeeCategory, isLocked, mayAnswerIn } from "./topics.policy.ts";
import { recordAudit } from "../audit/audit.ts";
import { queueBadgeCheck } from "../reputation/reputation.badges.ts";
import { assertNotSuspended } from "../moderation/moderation.policy.ts";
import {
  assertMarkupAllowed,
  queueForReview,
  screenPost,
  type Screening,
  type Submission,
} from "../moderation/moderation.screening.ts";
import * as lifecycle from "../escalation/lifecycle.ts";

/**
 * Refuses a suspended member (with the reason) and a locked topic, checks the privilege, counts the
 * post against the rate limit, then screens it: whether it appears now or waits for review.
 */
async function beforePosting(
  deps: Deps,
  access: CommunityAccess,
  allowed: boolean,
  message: string,
  submission: Submission,
  topic?: { locked?: number },
): Promise<{ actor: Actor; screening: Screening }> {
  const actor = access.actor;
  if (!actor) throw forbidden("You need to log in to do this.");
  assertNotSuspended(access);
  if (topic && isLocked(topic)) throw forbidden("This topic is locked: it takes no new replies.");
  if (!allowed) throw forbidden(message);
  await hitRateLimit(deps.db, `post:${actor.id}`, deps.config.rateLimits.post, deps.clock.now());
  return { actor, screening: await screenPost(deps, access, submission) };
}

/** Queues a held post for review and a badge check for its author; pass the transaction that saved it. */
async function afterSaving(
  db: Db,
  deps: Deps,
  post: { communityId: number; type: PostType; id: number; authorId: number },
  screening: Screening,
): Promise<void> {
  const now = deps.clock.now();
  if (screening.review) await queueForReview(db, { ...post, review: screening.review, now });
  await queueBadgeCheck({ db, clock: deps.clock }, post.communityId, [post.authorId]);
}

async function replaceTags(db: Db, topicId: number, communityId: number, tags: string[]): Promise<void> {
  await db.deleteFrom("topicTags").where("topicId", "=", topicId).execute();
  if (tags.length)
    await db
      .insertInto("topicTags")
      .values(tags.map((tag) => ({ topicId, communityId, tag })))
      .execute();
}

/** `visitId`: the anonymous visit the new-topic form came from, for deflection counting. */
export async function createTopic(
  deps: Deps,
  baseAccess: CommunityAccess,
  input: CreateTopicInput,
  options: { visitId?: unknown } = {},
) {
  const access = await baseAccess;
  const bodyHtml = renderMarkdown(input.body);
  const { actor, screening } = await beforePosting(
    deps,
    access,
    can(access, "topic.create"),
    "Join this community to post.",
    {
      type: "topic",
      text: `${input.title}\n${input.body}`,
      html: bodyHtml,
    },
  );
  const communityId = access.community.id;
  if (input.categoryId) {
    const category = await deps.db
      .selectFrom("categories")
      .select(["id", "championsOnly"])
      .where("id", "=", input.categoryId)
      .where("communityId", "=", communityId)
      .executeTakeFirst();
    if (!category || !canSeeCategory(access, category)) throw validationFailed({ categoryId: "Unknown category." });
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
        bodyHtml,
        tags: JSON.stringify(input.tags),
        score: 0,
        replyCount: 0,
        followerCount: 0,
        acceptedReplyId: null,
        createdAt: now,
        lastActivityAt: now,
        editedAt: null,
        moderationState: screening.state,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await replaceTags(trx, topic.id, communityId, input.tags);
    await afterSaving(trx, deps, { communityId, type: "topic", id: topic.id, authorId: actor.id }, screening);
    await ensureMember({ db: trx, clock: deps.clock }, communityId, actor.id);
    await lifecycle.topicPosted(
      { db: trx, clock: deps.clock },
      { id: topic.id, communityId, categoryId: input.categoryId ?? null, kind: input.kind, createdAt: now },
    );
    return topic.id;
  });
  if (screening.state === "visible")
    await announce.topicCreated(
      deps,
      { id, communityId, authorId: actor.id, title: input.title, communitySlug: access.community.slug },
      actor,
      input.body,
      options.visitId,
    );
  return (await q.findTopic(deps.db, id))!;
}

/**
 * A reply or comment on a topic: allowed by the category's scope (staff-only categories) and the
 * privilege, then screened like any post. Returns the rendered body too, so it is rendered once.
 */
async function beforeAnswering(
  deps: Deps,
  access: CommunityAccess,
  topic: Parameters<typeof mayAnswerIn>[1] & { locked?: number },
  type: "reply" | "comment",
  body: string,
) {
  const answerable = mayAnswerIn(access, topic);
  const bodyHtml = renderMarkdown(body);
  const { actor: author, screening } = await beforePosting(
    deps,
    access,
    answerable && can(access, type === "reply" ? "reply.create" : "comment.create"),
    answerable ? `You cannot ${type === "reply" ? "reply" : "comment"} here.` : "Only staff answer in this category.",
    { type, text: body, html: bodyHtml },
    topic,
  );
  return { author, screening, bodyHtml };
}

export async function createReply(deps: Deps, topicId: number, actor: Actor | null, body: string) {
  const { row: topic, access } = await topicWithAccess(deps, topicId, actor);
  const { author, screening, bodyHtml } = await beforeAnswering(deps, access, topic, "reply", body);
  const now = deps.clock.now();
  const reply = await deps.db.transaction().execute(async (trx) => {
    const reply = await trx
      .insertInto("replies")
      .values({
        topicId,
        authorId: author.id,
        body,
        bodyHtml,
        official: isStaffRole(access.role) ? 1 : 0,
        score: 0,
        createdAt: now,
        editedAt: null,
        moderationState: screening.state,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // A held reply counts (and moves the topic up) once approved.
    if (screening.state === "visible") {
      await trx
        .updateTable("topics")
        .set((eb) => ({ replyCount: eb("replyCount", "+", 1), lastActivityAt: now }))
        .where("id", "=", topicId)
        .execute();
    }
    await afterSaving(
      trx,
      deps,
      { communityId: access.community.id, type: "reply", id: reply.id, authorId: author.id },
      screening,
    );
    await ensureMember({ db: trx, clock: deps.clock }, access.community.id, author.id);
    await lifecycle.replyPosted({ db: trx, clock: deps.clock }, topic, { authorId: author.id, createdAt: now });
    return reply;
  });
  if (screening.state === "visible")
    await announce.replyCreated(deps, { ...topic, communitySlug: access.community.slug }, reply, author);
  return reply;
}

export async function createComment(deps: Deps, replyId: number, actor: Actor | null, body: string) {
  const reply = await q.findReply(deps.db, replyId);
  if (!reply) throw notFound("Reply");
  const { row: topic, access } = await topicWithAccess(deps, reply.topicId, actor);
  const { author, screening, bodyHtml } = await beforeAnswering(deps, access, topic, "comment", body);
  const now = deps.clock.now();
  const comment = await deps.db.transaction().execute(async (trx) => {
    const comment = await trx
      .insertInto("comments")
      .values({ replyId, authorId: author.id, body, bodyHtml, createdAt: now, moderationState: screening.state })
      .returningAll()
      .executeTakeFirstOrThrow();
    await afterSaving(
      trx,
      deps,
      { communityId: access.community.id, type: "comment", id: comment.id, authorId: author.id },
      screening,
    );
    await trx.updateTable("topics").set({ lastActivityAt: now }).where("id", "=", reply.topicId).execute();
    await ensureMember({ db: trx, clock: deps.clock }, access.community.id, author.id);
    await lifecycle.commentPosted({ db: trx, clock: deps.clock }, topic, author.id);
    return { ...comment, authorName: author.name };
  });
  if (screening.state === "visible")
    await announce.commentCreated(deps, { ...topic, communitySlug: access.community.slug }, reply, comment, author);
  return comment;
}

/** The first edit also records the original, so the history always holds every version. */
async function recordRevision(
  db: Db,
  target: { type: "topic" | "reply"; id: number },
  original: {
    authorId: number;
    title?: string;
    body: string;
    tags?: string;
    createdAt: number;
    editedAt: number | null;
  },
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

/** Saves a topic edit with its revision; pass a transaction (the review queue edits this way too). */
export async function applyTopicEdit(
  db: Db,
  now: number,
  row: q.TopicRow,
  editorId: number,
  input: EditTopicInput,
): Promise<void> {
  const title = input.title ?? row.title;
  const body = input.body ?? row.body;
  const tags = input.tags ? JSON.stringify(input.tags) : row.tags;
  if (title === row.title && body === row.body && tags === row.tags) return;
  await recordRevision(db, { type: "topic", id: row.id }, row, { editorId, title, body, tags, at: now });
  await db
    .updateTable("topics")
    .set({
      title,
      body,
      bodyHtml: body === row.body ? row.bodyHtml : renderMarkdown(body),
      tags,
      editedAt: now,
      lastActivityAt: now,
    })
    .where("id", "=", row.id)
    .execute();
  if (input.tags) await replaceTags(db, row.id, row.communityId, input.tags);
}

/** Saves a reply edit with its revision; pass a transaction. */
export async function applyReplyEdit(
  db: Db,
  now: number,
  reply: NonNullable<Awaited<ReturnType<typeof q.findReply>>>,
  editorId: number,
  body: string,
): Promise<void> {
  if (body === reply.body) return;
  await recordRevision(db, { type: "reply", id: reply.id }, reply, { editorId, body, at: now });
  await db
    .updateTable("replies")
    .set({ body, bodyHtml: renderMarkdown(body), editedAt: now })
    .where("id", "=", reply.id)
    .execute();
}

/** Editing someone else's post is a moderator's (or trusted member's) action: it goes in the audit log. */
async function auditOthersEdit(
  ctx: { db: Db; clock: Deps["clock"] },
  editorId: number,
  post: { type: "topic" | "reply"; id: number; authorId: number; communityId: number; tagsOnly: boolean },
) {
  if (post.authorId === editorId) return;
  await recordAudit(ctx, {
    communityId: post.communityId,
    actorId: editorId,
    action: post.tagsOnly ? "topic.retag" : "post.edit",
    targetType: post.type,
    targetId: post.id,
    details: { authorId: post.authorId },
  });
}

/** Authors and moderators edit; members with the retag privilege may change only the tags. */
export async function editTopic(deps: Deps, topicId: number, actor: Actor | null, input: EditTopicInput) {
  const { row, access } = await topicWithAccess(deps, topicId, actor);
  if (!actor) throw forbidden("You need to log in to do this.");
  assertNotSuspended(access);
  const tagsOnly = input.title === undefined && input.body === undefined;
  if (!can(access, "topic.edit", row.authorId) && !(tagsOnly && can(access, "topic.retag", row.authorId)))
    throw forbidden("You can only edit your own posts.");
  if (input.body !== undefined) assertMarkupAllowed(access, renderMarkdown(input.body));
  await deps.db.transaction().execute(async (trx) => {
    await applyTopicEdit(trx, deps.clock.now(), row, actor.id, input);
    await auditOthersEdit({ db: trx, clock: deps.clock }, actor.id, {
      type: "topic",
      id: topicId,
      authorId: row.authorId,
      communityId: row.communityId,
      tagsOnly,
    });
  });
  await announce.topicChanged(deps, topicId);
  return { row: (await q.findTopic(deps.db, topicId))!, community: access.community };
}

export async function editReply(deps: Deps, replyId: number, actor: Actor | null, body: string) {
  const reply = await q.findReply(deps.db, replyId);
  if (!reply) throw notFound("Reply");
  const { access } = await topicWithAccess(deps, reply.topicId, actor);
  if (!actor) throw forbidden("You need to log in to do this.");
  assertNotSuspended(access);
  if (!can(access, "reply.edit", reply.authorId)) throw forbidden("You can only edit your own posts.");
  assertMarkupAllowed(access, renderMarkdown(body));
  await deps.db.transaction().execute(async (trx) => {
    await applyReplyEdit(trx, deps.clock.now(), reply, actor.id, body);
    await auditOthersEdit({ db: trx, clock: deps.clock }, actor.id, {
      type: "reply",
      id: replyId,
      authorId: reply.authorId,
      communityId: reply.communityId,
      tagsOnly: false,
    });
  });
  await announce.topicChanged(deps, reply.topicId);
  return deps.db.selectFrom("replies").selectAll().where("id", "=", replyId).executeTakeFirstOrThrow();
}

/** Tells mentioned members and followers about a post a moderator approved, as if it had just been posted. */
export async function announceApproved(deps: Deps, type: PostType, id: number): Promise<void> {
  const reply = type === "reply" ? await q.findReply(deps.db, id) : undefined;
  const comment =
    type === "comment"
      ? await deps.db.selectFrom("comments").selectAll().where("id", "=", id).executeTakeFirstOrThrow()
      : undefined;
  const parent = comment ? await q.findReply(deps.db, comment.replyId) : reply;
  const topic = (await q.findTopic(deps.db, parent ? parent.topicId : id))!;
  const { slug } = await deps.db
    .selectFrom("communities")
    .select("slug")
    .where("id", "=", topic.communityId)
    .executeTakeFirstOrThrow();
  const ref = { ...topic, communitySlug: slug };
  const authorId = comment?.authorId ?? reply?.authorId ?? topic.authorId;
  const author = await deps.db
    .selectFrom("users")
    .select(["id", "name"])
    .where("id", "=", authorId)
    .executeTakeFirstOrThrow();
  if (comment && parent) await announce.commentCreated(deps, ref, parent, comment, author);
  else if (reply) await announce.replyCreated(deps, ref, reply, author);
  else await announce.topicCreated(deps, ref, author, topic.body);
}
