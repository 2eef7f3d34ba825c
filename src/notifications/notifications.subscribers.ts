import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { Deps } from "../core/deps.ts";
import type { Database } from "../db/schema.ts";
import { defineSubscriber } from "../jobs/events.ts";
import { publish } from "../live/live.hub.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import { eventSubject, replyById, topicSlug } from "../topics/index.ts";
import { notify, type NotifyInput } from "./notifications.fanout.ts";
import { resolveMentions } from "./mentions.ts";

/**
 * Who hears of what happens in topics (notifications, through the fan-out job) and what open
 * pages show (live events). Each runs after the change committed, from the event it emitted.
 */

/** The first words of a post as plain text: Markdown rendered, then tags and entities removed. */
function excerptOf(body: string): string {
  const text = renderMarkdown(body)
    .replace(/<[^>]*>/g, " ")
    .replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!)
    .replace(/\s+/g, " ")
    .trim();
  // Cut by characters, not UTF-16 units: half an emoji would show as a broken character.
  const characters = Array.from(text);
  return characters.length > 280 ? `${characters.slice(0, 277).join("")}...` : text;
}

/** Which notifications, as a condition on their table. */
type Copies = (eb: ExpressionBuilder<Database, "notifications">) => Expression<SqlBool>;
type Data = Record<string, unknown>;

/**
 * Rewrites the notifications `of` selects, once per distinct copy of their data (notifications of
 * one event share it), not per recipient; `rewrite` answers the new data, or undefined to leave it.
 */
async function rewriteCopies(deps: Deps, of: Copies, rewrite: (data: Data) => Data | undefined) {
  const copies = await deps.db.selectFrom("notifications").select("data").distinct().where(of).execute();
  for (const { data } of copies) {
    const next = rewrite(JSON.parse(data) as Data);
    if (next === undefined) continue;
    await deps.db
      .updateTable("notifications")
      .set({ data: JSON.stringify(next) })
      .where(of)
      .where("data", "=", data)
      .execute();
  }
}

/**
 * The excerpts notifications copied of a post when they were sent follow its edits: an edit that
 * takes out a phone number (and a moderator's redaction of the earlier version) leaves no copy in
 * anyone's list or digest.
 */
async function refreshExcerpts(deps: Deps, about: { replyId: number } | { topicId: number }, body: string) {
  const ofPost: Copies = (eb) =>
    "replyId" in about
      ? eb.and([eb("postType", "=", "reply"), eb("postId", "=", about.replyId)])
      : // A question's own notices (its mentions) carry its event key: those of a topic merged into
        // this one, moved here with their excerpts of that other question, keep theirs.
        eb.and([
          eb("topicId", "=", about.topicId),
          eb("postType", "is", null),
          eb("eventKey", "=", `topic:${about.topicId}`),
        ]);
  const excerpt = excerptOf(body);
  await rewriteCopies(deps, ofPost, (data) =>
    typeof data.excerpt !== "string" || data.excerpt === excerpt ? undefined : { ...data, excerpt },
  );
}

/**
 * Notifications that named a topic by the title it had follow its new title, like excerpts follow
 * edits: a title edited to take out a customer number leaves no copy in lists, digests or queued
 * emails, nor in their links' title slug. Only copies of `previous` are renamed: a moderator's
 * notice with its reason, or a merged question's notices (moved here), named something else.
 */
async function refreshTitles(deps: Deps, topicId: number, previous: string, title: string) {
  const oldPath = `/t/${topicId}/${topicSlug(previous)}`;
  const newPath = `/t/${topicId}/${topicSlug(title)}`;
  await rewriteCopies(
    deps,
    (eb) => eb("topicId", "=", topicId),
    (data) => {
      const renamed = data.title === previous;
      const url = typeof data.url === "string" ? data.url.replace(oldPath, newPath) : data.url;
      if (!renamed && url === data.url) return undefined;
      return { ...data, url, ...(renamed ? { title } : {}) };
    },
  );
}

type Subject = NonNullable<Awaited<ReturnType<typeof eventSubject>>>;
type Post = NotifyInput["post"];

/** Notifies mentioned members; returns them, so more general notifications skip them. */
async function notifyMentions(deps: Deps, subject: Subject, actorId: number, eventKey: string, post?: Post) {
  const { topic } = subject;
  const mentioned = await resolveMentions(deps.db, topic.communityId, subject.body);
  if (mentioned.length === 0) return [];
  await notify(deps, {
    kind: "mention",
    userIds: mentioned,
    communityId: topic.communityId,
    topicId: topic.id,
    post,
    actorId,
    eventKey,
    data: { title: topic.title, url: subject.url, actorName: subject.authorName, excerpt: excerptOf(subject.body) },
  });
  return mentioned;
}

export const notificationSubscribers = [
  defineSubscriber({
    name: "notifications.topicCreated",
    event: "topic.created",
    run: async (deps, e) => {
      const subject = await eventSubject(deps, e);
      if (subject) await notifyMentions(deps, subject, e.authorId, `topic:${e.topicId}`);
    },
  }),
  defineSubscriber({
    name: "notifications.replyPosted",
    event: "reply.posted",
    run: async (deps, e) => {
      const subject = await eventSubject(deps, e);
      if (!subject) return;
      const { topic } = subject;
      const eventKey = `reply:${e.replyId}`;
      const data = {
        title: topic.title,
        url: subject.url,
        actorName: subject.authorName,
        excerpt: excerptOf(subject.body),
      };
      const post = { type: "reply", id: e.replyId } as const;
      const mentioned = await notifyMentions(deps, subject, e.authorId, eventKey, post);
      const common = { communityId: topic.communityId, topicId: topic.id, post, actorId: e.authorId, eventKey, data };
      // An asker the reply mentions hears of it once, as a mention (as for comments).
      await notify(deps, { ...common, kind: "reply", userIds: [topic.authorId], excludeUserIds: mentioned });
      await notify(deps, {
        ...common,
        kind: "followed_answered",
        followersOf: topic.id,
        excludeUserIds: [topic.authorId, ...mentioned],
      });
    },
  }),
  defineSubscriber({
    name: "notifications.commentPosted",
    event: "comment.posted",
    run: async (deps, e) => {
      const subject = await eventSubject(deps, e);
      if (!subject) return;
      const { topic } = subject;
      const eventKey = `comment:${e.commentId}`;
      const post = { type: "comment", id: e.commentId } as const;
      // Under a hidden reply, a mention would show the thread to members who cannot read it.
      const mentioned = subject.replyVisible ? await notifyMentions(deps, subject, e.authorId, eventKey, post) : [];
      // A comment on the question tells the asker; one on a reply tells the reply's author.
      const recipient = e.replyId === null ? topic.authorId : subject.replyAuthorId;
      if (recipient === null) return;
      await notify(deps, {
        kind: e.replyId === null ? "question_comment" : "comment",
        userIds: [recipient],
        excludeUserIds: mentioned,
        communityId: topic.communityId,
        topicId: topic.id,
        post,
        actorId: e.authorId,
        eventKey,
        data: { title: topic.title, url: subject.url, actorName: subject.authorName, excerpt: excerptOf(subject.body) },
      });
    },
  }),
  defineSubscriber({
    name: "notifications.topicEdited",
    event: "topic.edited",
    run: async (deps, e) => {
      const subject = await eventSubject(deps, { ...e, authorId: e.editorId });
      if (!subject) return;
      await refreshExcerpts(deps, { topicId: e.topicId }, subject.body);
      const { title } = subject.topic;
      if (e.previousTitle !== undefined && e.previousTitle !== title)
        await refreshTitles(deps, e.topicId, e.previousTitle, title);
    },
  }),
  defineSubscriber({
    name: "notifications.replyEdited",
    event: "reply.edited",
    run: async (deps, e) => {
      const reply = await replyById(deps, e.replyId);
      if (reply) await refreshExcerpts(deps, { replyId: e.replyId }, reply.body);
    },
  }),
  defineSubscriber({
    name: "notifications.topicMerged",
    event: "topic.merged",
    // The merged topic's replies and comments live on in the target: so do their notifications,
    // which a merged topic (read by nobody) would hide. Their links still work (301 to the target).
    run: async (deps, e) => {
      await deps.db.updateTable("notifications").set({ topicId: e.intoId }).where("topicId", "=", e.topicId).execute();
    },
  }),
  defineSubscriber({
    name: "notifications.solutionChanged",
    event: "solution.changed",
    run: async (deps, e) => {
      if (e.replyId === null) return;
      const subject = await eventSubject(deps, { ...e, authorId: e.actorId });
      if (!subject || subject.replyAuthorId === null) return;
      const { topic, replyAuthorId } = subject;
      const common = {
        communityId: topic.communityId,
        topicId: topic.id,
        post: { type: "reply" as const, id: e.replyId },
        actorId: e.actorId,
        eventKey: `accepted:${e.replyId}`,
        data: { title: topic.title, url: subject.url, actorName: subject.authorName },
      };
      await notify(deps, { ...common, kind: "accepted", userIds: [replyAuthorId] });
      await notify(deps, {
        ...common,
        kind: "followed_solved",
        followersOf: topic.id,
        excludeUserIds: [replyAuthorId, topic.authorId],
      });
    },
  }),
];

/** Tells a topic's open streams to check again whether their viewer may still read it. */
const accessChanged = (deps: Deps, topicId: number) => publish(deps, `topic:${topicId}`, "access", { topicId });

/**
 * Open topic pages show new replies, comments, votes and the solution as they happen; a move,
 * merge or moderation of the topic makes each stream re-check its viewer's access (live.routes.ts).
 */
export const liveSubscribers = [
  defineSubscriber({ name: "live.topicMoved", event: "topic.moved", run: (deps, e) => accessChanged(deps, e.topicId) }),
  defineSubscriber({
    name: "live.topicMerged",
    event: "topic.merged",
    run: (deps, e) => accessChanged(deps, e.topicId),
  }),
  defineSubscriber({
    name: "live.postModerated",
    event: "post.moderated",
    run: async (deps, e) => {
      if (e.type === "topic") await accessChanged(deps, e.topicId);
    },
  }),
  defineSubscriber({
    name: "live.replyPosted",
    event: "reply.posted",
    run: (deps, e) => publish(deps, `topic:${e.topicId}`, "reply", { topicId: e.topicId, replyId: e.replyId }),
  }),
  defineSubscriber({
    name: "live.commentPosted",
    event: "comment.posted",
    run: async (deps, e) => {
      // A comment under a hidden reply (its author may still comment) names that reply: not for the topic's readers.
      if (e.replyId !== null && (await replyById(deps, e.replyId))?.moderationState !== "visible") return;
      await publish(deps, `topic:${e.topicId}`, "comment", {
        topicId: e.topicId,
        replyId: e.replyId,
        commentId: e.commentId,
      });
    },
  }),
  defineSubscriber({
    name: "live.solutionChanged",
    event: "solution.changed",
    run: (deps, e) => publish(deps, `topic:${e.topicId}`, "accepted", { topicId: e.topicId, replyId: e.replyId }),
  }),
  defineSubscriber({
    name: "live.voteCast",
    event: "vote.cast",
    run: async (deps, e) => {
      // Staff still vote on a hidden reply; its id and score are not for the topic's other readers.
      if (e.target === "reply" && (await replyById(deps, e.targetId))?.moderationState !== "visible") return;
      await publish(deps, `topic:${e.topicId}`, "vote", {
        topicId: e.topicId,
        type: e.target,
        id: e.targetId,
        score: e.score,
      });
    },
  }),
];
