import type { Actor, Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { PostType } from "../db/schema.ts";
import { transaction, type Tx } from "../core/transaction.ts";
import { emit } from "../jobs/events.ts";
import { ensureMember } from "../communities/index.ts";
import { isStaffRole, type CommunityAccess, assertNotSuspended } from "../access/access.ts";
import { assertMayParticipate } from "../access/participation.ts";
import { can } from "../access/privileges.ts";
import { AppError, forbidden, notFound, validationFailed } from "../core/errors.ts";
import { hitRateLimit } from "../lib/rate-limit.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import * as q from "./topics.queries.ts";
import { topicWithAccess } from "./topics.service.ts";
import {
  lockOpenTopic,
  lockTopicAsItIs,
  lockTopics,
  lockedPostState,
  refuseGone,
  setPostState,
} from "./topics.state.ts";
import type { CreateTopicInput, EditTopicInput } from "./topics.schema.ts";
import { canSeeCategory, canSeePost, isLocked, mayAnswerIn } from "./topics.policy.ts";
import { topicExtensions, type Screening, type Submission } from "./topics.extensions.ts";
import { recordAudit } from "../audit/audit.ts";
import { lockRows } from "../db/row-locks.ts";
import { iso } from "../lib/iso-time.ts";

/**
 * Refuses a suspended member (with the reason) and a locked topic, checks the privilege and the
 * community's conditions on posting (SSO), counts the post against the rate limit, then screens it:
 * whether it appears now or waits for review.
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
  await assertMayParticipate(deps, access, "post");
  await hitRateLimit(deps.db, `post:${actor.id}`, deps.config.rateLimits.post, deps.clock.now());
  return { actor, screening: await topicExtensions().screening.screen(deps, access, submission) };
}

/** The screening's last word on a post's rendered body, in the transaction that saves it (after its locks). */
const confirmBody = (tx: Tx, topicId: number, html: string) =>
  topicExtensions().screening.confirm?.(tx, { topicId, html });

/** A held post goes to the review queue; a visible one is announced. Pass the transaction that saved it. */
async function afterSaving(
  tx: Tx,
  post: { communityId: number; type: PostType; id: number; authorId: number },
  screening: Screening,
  announce: () => Promise<void>,
): Promise<void> {
  if (screening.review) await topicExtensions().screening.hold(tx, post, screening.review);
  else await announce();
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
  const id = await transaction(deps, async (tx) => {
    const topic = await tx.db
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
        published: screening.state === "visible" ? 1 : 0,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await confirmBody(tx, topic.id, bodyHtml);
    await replaceTags(tx.db, topic.id, communityId, input.tags);
    await ensureMember(tx, communityId, actor.id);
    const visitId = typeof options.visitId === "string" ? options.visitId : null;
    await emit(tx, "topic.submitted", { topicId: topic.id, communityId, authorId: actor.id, visitId });
    await afterSaving(tx, { communityId, type: "topic", id: topic.id, authorId: actor.id }, screening, () =>
      emit(tx, "topic.created", { topicId: topic.id, communityId, authorId: actor.id, visitId }),
    );
    return topic.id;
  });
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
    answerable ? `You cannot ${type === "reply" ? "reply" : "comment"} here.` : STAFF_ANSWER,
    { type, text: body, html: bodyHtml },
    topic,
  );
  return { author, screening, bodyHtml };
}

const STAFF_ANSWER = "Only staff answer in this category.";

/**
 * Locks the topic a reply or comment joins (lockOpenTopic) and checks again, on its category as it
 * is now, that the author may answer there: moved into a staff-only or private category, or its
 * category's scope changed, since it was read. One hidden from the author meanwhile is not theirs to
 * answer (404), as it would not have been a moment later: its counters and followers hear nothing.
 */
async function lockAnswerableTopic(tx: Tx, access: CommunityAccess, topic: { id: number; authorId: number }) {
  const { categoryScope, moderationState } = await lockOpenTopic(tx, topic.id);
  if (!canSeePost(access, { authorId: topic.authorId, moderationState })) throw notFound("Topic");
  if (!mayAnswerIn(access, { authorId: topic.authorId, categoryScope })) throw forbidden(STAFF_ANSWER);
}

export async function createReply(deps: Deps, topicId: number, actor: Actor | null, body: string) {
  const { row: topic, access } = await topicWithAccess(deps, topicId, actor);
  const { author, screening, bodyHtml } = await beforeAnswering(deps, access, topic, "reply", body);
  const now = deps.clock.now();
  const communityId = access.community.id;
  return transaction(deps, async (tx) => {
    await lockAnswerableTopic(tx, access, topic);
    await confirmBody(tx, topicId, bodyHtml);
    const reply = await tx.db
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
        published: screening.state === "visible" ? 1 : 0,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // A held reply counts (and moves the topic up) once approved.
    if (screening.state === "visible") {
      await tx.db
        .updateTable("topics")
        .set((eb) => ({
          replyCount: eb("replyCount", "+", 1),
          // The asker's own follow-up is no answer (answersTopic).
          answerCount: eb("answerCount", "+", author.id === topic.authorId ? 0 : 1),
          lastActivityAt: now,
        }))
        .where("id", "=", topicId)
        .execute();
    }
    await ensureMember(tx, communityId, author.id);
    await afterSaving(tx, { communityId, type: "reply", id: reply.id, authorId: author.id }, screening, () =>
      emit(tx, "reply.posted", { topicId, communityId, replyId: reply.id, authorId: author.id }),
    );
    return reply;
  });
}

export async function createComment(deps: Deps, replyId: number, actor: Actor | null, body: string) {
  const reply = await q.findReply(deps.db, replyId);
  if (!reply) throw notFound("Reply");
  return saveComment(deps, reply.topicId, reply, actor, body);
}

/** A comment on the question itself (like those under a question on Stack Overflow). */
export async function createTopicComment(deps: Deps, topicId: number, actor: Actor | null, body: string) {
  return saveComment(deps, topicId, null, actor, body);
}

/**
 * A comment under a reply or under the topic's question (null): the same rules either way, and a
 * reply the viewer may not see (held, hidden, deleted) takes no comments from them.
 */
async function saveComment(
  deps: Deps,
  topicId: number,
  reply: Pick<q.ReplyRow, "id" | "authorId" | "moderationState"> | null,
  actor: Actor | null,
  body: string,
) {
  const { row: topic, access } = await topicWithAccess(deps, topicId, actor);
  if (reply && !canSeePost(access, reply)) throw notFound("Reply");
  const replyId = reply?.id ?? null;
  const { author, screening, bodyHtml } = await beforeAnswering(deps, access, topic, "comment", body);
  const now = deps.clock.now();
  const communityId = access.community.id;
  return transaction(deps, async (tx) => {
    await lockAnswerableTopic(tx, access, topic);
    // The reply as it is under the topic's lock (moderators take it too): deleted or hidden
    // meanwhile, it takes no comment from those who may no longer see it.
    if (reply) {
      const state = await lockedPostState(tx, "reply", reply.id);
      if (!state || !canSeePost(access, { authorId: reply.authorId, moderationState: state })) throw notFound("Reply");
    }
    await confirmBody(tx, topic.id, bodyHtml);
    const comment = await tx.db
      .insertInto("comments")
      .values({
        replyId,
        topicId: replyId === null ? topic.id : null,
        authorId: author.id,
        body,
        bodyHtml,
        createdAt: now,
        moderationState: screening.state,
        published: screening.state === "visible" ? 1 : 0,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // A held comment moves the topic up once approved (setPostState), not while it waits.
    if (screening.state === "visible")
      await tx.db.updateTable("topics").set({ lastActivityAt: now }).where("id", "=", topic.id).execute();
    await ensureMember(tx, communityId, author.id);
    const posted = { topicId: topic.id, communityId, replyId, commentId: comment.id, authorId: author.id };
    await afterSaving(tx, { communityId, type: "comment", id: comment.id, authorId: author.id }, screening, () =>
      emit(tx, "comment.posted", posted),
    );
    return { ...comment, authorName: author.name };
  });
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

/**
 * An edit that names the version it started from (`baseEditedAt`) is refused when the post, as it is under
 * its lock, was edited since: saving it would silently undo that edit (a moderator's redaction, say).
 */
function refuseStaleEdit(post: { editedAt: number | string | null }, baseEditedAt: string | null | undefined) {
  if (baseEditedAt === undefined || iso(post.editedAt) === baseEditedAt) return;
  throw new AppError(
    "conflict",
    "This post was edited since you opened it: reload it, or send your version again to replace that edit.",
    undefined,
    { key: "post.editConflict" },
  );
}

/**
 * Saves a topic edit with its revision; pass the transaction (the review queue edits this way too).
 * The topic is read again under its lock: two edits at once each change their own fields of what the
 * other saved, and the original is recorded once.
 */
export async function applyTopicEdit(tx: Tx, read: q.TopicRow, editorId: number, input: EditTopicInput): Promise<void> {
  const { db } = tx;
  await lockTopics(tx, [read.id]);
  const row = (await q.findTopic(db, read.id)) ?? read;
  // Merged or deleted since it was read: the edit would land on a topic nobody reaches.
  refuseGone(row.moderationState);
  refuseStaleEdit(row, input.baseEditedAt);
  const now = tx.clock.now();
  const title = input.title ?? row.title;
  const body = input.body ?? row.body;
  const tags = input.tags ? JSON.stringify(input.tags) : row.tags;
  if (title === row.title && body === row.body && tags === row.tags) return;
  const bodyHtml = body === row.body ? row.bodyHtml : renderMarkdown(body);
  if (body !== row.body) await confirmBody(tx, row.id, bodyHtml);
  await recordRevision(db, { type: "topic", id: row.id }, row, { editorId, title, body, tags, at: now });
  await db
    .updateTable("topics")
    .set({
      title,
      body,
      bodyHtml,
      tags,
      editedAt: now,
      lastActivityAt: now,
    })
    .where("id", "=", row.id)
    .execute();
  if (input.tags) await replaceTags(db, row.id, row.communityId, input.tags);
  await emit(tx, "topic.edited", {
    topicId: row.id,
    communityId: row.communityId,
    editorId,
    ...(title === row.title ? {} : { previousTitle: row.title }),
  });
}

/** Saves a reply edit with its revision, on the reply as it is under its lock; pass the transaction. */
export async function applyReplyEdit(
  tx: Tx,
  read: NonNullable<Awaited<ReturnType<typeof q.findReply>>>,
  editorId: number,
  body: string,
  baseEditedAt?: string | null,
): Promise<void> {
  const { db } = tx;
  await lockRows(tx, "replies", [read.id]);
  const reply = (await q.findReply(db, read.id)) ?? read;
  refuseStaleEdit(reply, baseEditedAt);
  if (body === reply.body) return;
  const bodyHtml = renderMarkdown(body);
  await confirmBody(tx, reply.topicId, bodyHtml);
  const now = tx.clock.now();
  await recordRevision(db, { type: "reply", id: reply.id }, reply, { editorId, body, at: now });
  await db.updateTable("replies").set({ body, bodyHtml, editedAt: now }).where("id", "=", reply.id).execute();
  const { topicId, communityId } = reply;
  await emit(tx, "reply.edited", { topicId, communityId, replyId: reply.id, editorId });
}

/**
 * An edit that reads as spam hides its post (if it was visible, under its lock) and puts it in the
 * review queue, as trusted flags do: a moderator's approval shows it again without announcing it anew.
 */
async function holdEdited(
  tx: Tx,
  post: { type: "topic" | "reply"; id: number; topicId: number; communityId: number; authorId: number },
  review: NonNullable<Screening["review"]>,
): Promise<void> {
  const state = await lockedPostState(tx, post.type, post.id);
  if (state !== "visible") return;
  await setPostState(tx, { ...post, state }, "hidden");
  await topicExtensions().screening.hold(tx, post, review);
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
  const html = renderMarkdown(input.body ?? row.body);
  if (input.body !== undefined) topicExtensions().screening.checkMarkup(access, html);
  const textChanged = (input.title ?? row.title) !== row.title || (input.body ?? row.body) !== row.body;
  const text = `${input.title ?? row.title}\n${input.body ?? row.body}`;
  const review = textChanged
    ? await topicExtensions().screening.screenEdit(deps, access, { type: "topic", text, html })
    : null;
  await transaction(deps, async (tx) => {
    // Checked again under the topic's lock: one hidden from the editor meanwhile is not theirs to
    // change (404), as it would not have been a moment later; merged or deleted, 409.
    const now = await lockTopicAsItIs(tx, topicId);
    if (!canSeePost(access, { authorId: row.authorId, moderationState: now.moderationState })) throw notFound("Topic");
    await applyTopicEdit(tx, row, actor.id, input);
    if (review)
      await holdEdited(
        tx,
        { type: "topic", id: topicId, topicId, communityId: row.communityId, authorId: row.authorId },
        review,
      );
    await auditOthersEdit(tx, actor.id, {
      type: "topic",
      id: topicId,
      authorId: row.authorId,
      communityId: row.communityId,
      tagsOnly,
    });
  });
  return { row: (await q.findTopic(deps.db, topicId))!, community: access.community };
}

export async function editReply(
  deps: Deps,
  replyId: number,
  actor: Actor | null,
  body: string,
  baseEditedAt?: string | null,
) {
  const reply = await q.findReply(deps.db, replyId);
  if (!reply) throw notFound("Reply");
  const { access } = await topicWithAccess(deps, reply.topicId, actor);
  // As for its history: a reply the viewer may not see (deleted, or hidden from them) is not theirs to change.
  if (!canSeePost(access, reply)) throw notFound("Reply");
  if (!actor) throw forbidden("You need to log in to do this.");
  assertNotSuspended(access);
  if (!can(access, "reply.edit", reply.authorId)) throw forbidden("You can only edit your own posts.");
  const html = renderMarkdown(body);
  topicExtensions().screening.checkMarkup(access, html);
  const review =
    body !== reply.body
      ? await topicExtensions().screening.screenEdit(deps, access, { type: "reply", text: body, html })
      : null;
  await transaction(deps, async (tx) => {
    // Checked again under the locks (the topic's, then the reply's, as moderators take them): a reply
    // deleted, or hidden from the editor, meanwhile is not theirs to change (404); its topic merged or
    // deleted meanwhile, 409.
    await lockTopicAsItIs(tx, reply.topicId);
    const state = await lockedPostState(tx, "reply", replyId);
    if (!state || !canSeePost(access, { authorId: reply.authorId, moderationState: state })) throw notFound("Reply");
    await applyReplyEdit(tx, reply, actor.id, body, baseEditedAt);
    if (review)
      await holdEdited(
        tx,
        {
          type: "reply",
          id: replyId,
          topicId: reply.topicId,
          communityId: reply.communityId,
          authorId: reply.authorId,
        },
        review,
      );
    await auditOthersEdit(tx, actor.id, {
      type: "reply",
      id: replyId,
      authorId: reply.authorId,
      communityId: reply.communityId,
      tagsOnly: false,
    });
  });
  return deps.db.selectFrom("replies").selectAll().where("id", "=", replyId).executeTakeFirstOrThrow();
}
