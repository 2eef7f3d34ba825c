import type { Deps } from "../core/deps.ts";
import { notify } from "../notifications/notifications.fanout.ts";
import { resolveMentions } from "../notifications/mentions.ts";
import { publish } from "../live/live.hub.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import { indexTopic } from "../search/search.index.ts";
import { recordTopicPosted } from "../search/deflection.service.ts";

/**
 * What the topics domain tells others after a change has committed: who should hear of it
 * (notifications, through the job queue) and what open pages should show (live events).
 */
interface TopicRef {
  id: number;
  communityId: number;
  authorId: number;
  title: string;
  communitySlug: string;
}

/** The first words of a post as plain text: Markdown rendered, then tags and entities removed. */
function excerptOf(body: string): string {
  const text = renderMarkdown(body)
    .replace(/<[^>]*>/g, " ")
    .replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!)
    .replace(/\s+/g, " ")
    .trim();
  return text.length > 280 ? `${text.slice(0, 277)}...` : text;
}
const topicUrl = (topic: TopicRef, anchor = "") => `/c/${topic.communitySlug}/t/${topic.id}${anchor}`;

async function notifyMentions(
  deps: Deps,
  topic: TopicRef,
  actor: { id: number; name: string },
  body: string,
  eventKey: string,
  url: string,
) {
  const mentioned = await resolveMentions(deps.db, topic.communityId, body);
  if (mentioned.length === 0) return [];
  await notify(deps, {
    kind: "mention",
    userIds: mentioned,
    communityId: topic.communityId,
    topicId: topic.id,
    actorId: actor.id,
    eventKey,
    data: { title: topic.title, url, actorName: actor.name, excerpt: excerptOf(body) },
  });
  return mentioned;
}

export async function topicCreated(
  deps: Deps,
  topic: TopicRef,
  actor: { id: number; name: string },
  body: string,
  visitId?: unknown,
) {
  await indexTopic(deps, topic.id);
  await recordTopicPosted(deps, { communityId: topic.communityId, topicId: topic.id, userId: actor.id, visitId });
  await notifyMentions(deps, topic, actor, body, `topic:${topic.id}`, topicUrl(topic));
}

/** An edit of the topic or one of its replies: the search index follows. */
export async function topicChanged(deps: Deps, topicId: number) {
  await indexTopic(deps, topicId);
}

export async function replyCreated(
  deps: Deps,
  topic: TopicRef,
  reply: { id: number; body: string },
  actor: { id: number; name: string },
) {
  await indexTopic(deps, topic.id);
  const url = topicUrl(topic, `#reply-${reply.id}`);
  const data = { title: topic.title, url, actorName: actor.name, excerpt: excerptOf(reply.body) };
  const eventKey = `reply:${reply.id}`;
  const mentioned = await notifyMentions(deps, topic, actor, reply.body, eventKey, url);
  await notify(deps, {
    kind: "reply",
    userIds: [topic.authorId],
    communityId: topic.communityId,
    topicId: topic.id,
    actorId: actor.id,
    eventKey,
    data,
  });
  await notify(deps, {
    kind: "followed_answered",
    followersOf: topic.id,
    excludeUserIds: [topic.authorId, ...mentioned],
    communityId: topic.communityId,
    topicId: topic.id,
    actorId: actor.id,
    eventKey,
    data,
  });
  await publish(deps, `topic:${topic.id}`, "reply", { topicId: topic.id, replyId: reply.id });
}

export async function commentCreated(
  deps: Deps,
  topic: TopicRef,
  reply: { id: number; authorId: number },
  comment: { id: number; body: string },
  actor: { id: number; name: string },
) {
  const url = topicUrl(topic, `#reply-${reply.id}`);
  const eventKey = `comment:${comment.id}`;
  const mentioned = await notifyMentions(deps, topic, actor, comment.body, eventKey, url);
  await notify(deps, {
    kind: "comment",
    userIds: [reply.authorId],
    excludeUserIds: mentioned,
    communityId: topic.communityId,
    topicId: topic.id,
    actorId: actor.id,
    eventKey,
    data: { title: topic.title, url, actorName: actor.name, excerpt: excerptOf(comment.body) },
  });
  await publish(deps, `topic:${topic.id}`, "comment", { topicId: topic.id, replyId: reply.id, commentId: comment.id });
}

export async function solutionChanged(
  deps: Deps,
  topic: TopicRef,
  reply: { id: number; authorId: number } | null,
  actor: { id: number; name: string },
) {
  await indexTopic(deps, topic.id); // the accepted answer is weighted above other replies
  if (reply) {
    const url = topicUrl(topic, `#reply-${reply.id}`);
    const data = { title: topic.title, url, actorName: actor.name };
    const eventKey = `accepted:${reply.id}`;
    await notify(deps, {
      kind: "accepted",
      userIds: [reply.authorId],
      communityId: topic.communityId,
      topicId: topic.id,
      actorId: actor.id,
      eventKey,
      data,
    });
    await notify(deps, {
      kind: "followed_solved",
      followersOf: topic.id,
      excludeUserIds: [reply.authorId, topic.authorId],
      communityId: topic.communityId,
      topicId: topic.id,
      actorId: actor.id,
      eventKey,
      data,
    });
  }
  await publish(deps, `topic:${topic.id}`, "accepted", { topicId: topic.id, replyId: reply?.id ?? null });
}

export async function scoreChanged(
  deps: Deps,
  topicId: number,
  target: { type: "topic" | "reply"; id: number; score: number },
) {
  await publish(deps, `topic:${topicId}`, "vote", { topicId, ...target });
}
