import type { Deps } from "../core/deps.ts";
import type { ModerationState } from "../db/schema.ts";
import { defineApi, idParams, slugParams } from "../http/api.ts";
import * as topics from "./topics.service.ts";
import * as posting from "./topics.posting.ts";
import * as reactions from "./topics.reactions.ts";
import {
  acceptBody,
  commentBody,
  createTopicBody,
  editTopicBody,
  editReplyBody,
  listTopicsQuery,
  postBody,
  voteBody,
} from "./topics.schema.ts";
import { communityAccess } from "../communities/index.ts";

function toPublicReply(r: {
  id: number;
  topicId: number;
  authorId: number;
  body: string;
  bodyHtml: string;
  official: number;
  score: number;
  createdAt: number;
  editedAt: number | null;
  moderationState: ModerationState;
}) {
  return {
    id: r.id,
    topicId: r.topicId,
    /** "pending" while a new post waits for review, "hidden" when an edit that read as spam did. */
    moderationState: r.moderationState,
    authorId: r.authorId,
    body: r.body,
    bodyHtml: r.bodyHtml,
    official: Boolean(r.official),
    score: r.score,
    createdAt: new Date(r.createdAt).toISOString(),
    editedAt: r.editedAt === null ? null : new Date(r.editedAt).toISOString(),
  };
}

/** A new comment: replyId for one under a reply, topicId (and replyId null) for one under the question. */
function toPublicComment(c: {
  id: number;
  replyId: number | null;
  topicId: number | null;
  authorId: number;
  authorName: string;
  body: string;
  bodyHtml: string;
  createdAt: number;
  moderationState: string;
}) {
  return {
    id: c.id,
    replyId: c.replyId,
    ...(c.topicId === null ? {} : { topicId: c.topicId }),
    author: { id: c.authorId, name: c.authorName },
    body: c.body,
    bodyHtml: c.bodyHtml,
    createdAt: new Date(c.createdAt).toISOString(),
    moderationState: c.moderationState,
  };
}

export function topicRoutes(deps: Deps) {
  return [
    defineApi({
      method: "GET",
      path: "/communities/:slug/topics",
      tag: "topics",
      summary: "List topics with filters, sorting and cursor pagination",
      params: slugParams,
      query: listTopicsQuery,
      handler: async ({ actor, params, query }) =>
        topics.listTopics(deps, await communityAccess(deps, { slug: params.slug }, actor), query),
    }),
    defineApi({
      method: "POST",
      path: "/communities/:slug/topics",
      tag: "topics",
      summary: "Post a question, idea, problem or praise",
      auth: "required",
      params: slugParams,
      body: createTopicBody,
      status: 201,
      handler: async ({ actor, params, body }) => {
        const access = await communityAccess(deps, { slug: params.slug }, actor);
        return { topic: topics.toPublicTopic(await posting.createTopic(deps, access, body), access.community) };
      },
    }),
    defineApi({
      method: "GET",
      path: "/topics/:id",
      tag: "topics",
      summary: "A topic with its replies in display order (accepted, official, then by votes)",
      params: idParams,
      handler: async ({ actor, params }) => {
        const { topic, replies } = await topics.getTopicPage(deps, params.id, actor);
        return { topic, replies };
      },
    }),
    defineApi({
      method: "PATCH",
      path: "/topics/:id",
      tag: "topics",
      summary: "Edit a topic (author or moderator); the previous version is kept",
      auth: "required",
      params: idParams,
      body: editTopicBody,
      handler: async ({ actor, params, body }) => {
        const { row, community } = await posting.editTopic(deps, params.id, actor, body);
        return { topic: topics.toPublicTopic(row, community) };
      },
    }),
    defineApi({
      method: "GET",
      path: "/topics/:id/history",
      tag: "topics",
      summary: "Every version of a topic, oldest first",
      params: idParams,
      handler: async ({ actor, params }) => {
        const { row } = await topics.topicWithAccess(deps, params.id, actor);
        return { revisions: await topics.getHistory(deps, "topic", row) };
      },
    }),
    defineApi({
      method: "POST",
      path: "/topics/:id/replies",
      tag: "topics",
      summary: "Reply to a topic",
      auth: "required",
      params: idParams,
      body: postBody,
      status: 201,
      handler: async ({ actor, params, body }) => ({
        reply: toPublicReply(await posting.createReply(deps, params.id, actor, body.body)),
      }),
    }),
    defineApi({
      method: "PATCH",
      path: "/replies/:id",
      tag: "topics",
      summary: "Edit a reply (author or moderator); the previous version is kept",
      auth: "required",
      params: idParams,
      body: editReplyBody,
      handler: async ({ actor, params, body }) => ({
        reply: toPublicReply(await posting.editReply(deps, params.id, actor, body.body, body.baseEditedAt)),
      }),
    }),
    defineApi({
      method: "GET",
      path: "/replies/:id/history",
      tag: "topics",
      summary: "Every version of a reply, oldest first",
      params: idParams,
      handler: async ({ actor, params }) => ({ revisions: await topics.getReplyHistory(deps, params.id, actor) }),
    }),
    defineApi({
      method: "POST",
      path: "/replies/:id/comments",
      tag: "topics",
      summary: "Comment on a reply",
      auth: "required",
      params: idParams,
      body: commentBody,
      status: 201,
      handler: async ({ actor, params, body }) => ({
        comment: toPublicComment(await posting.createComment(deps, params.id, actor, body.body)),
      }),
    }),
    defineApi({
      method: "POST",
      path: "/topics/:id/comments",
      tag: "topics",
      summary: "Comment on a topic's question itself",
      auth: "required",
      params: idParams,
      body: commentBody,
      status: 201,
      handler: async ({ actor, params, body }) => ({
        comment: toPublicComment(await posting.createTopicComment(deps, params.id, actor, body.body)),
      }),
    }),
    defineApi({
      method: "PUT",
      path: "/topics/:id/vote",
      tag: "topics",
      summary: "Vote on a topic: 1, -1, or 0 to withdraw",
      auth: "required",
      params: idParams,
      body: voteBody,
      handler: async ({ actor, params, body }) => reactions.vote(deps, "topic", params.id, actor, body.value),
    }),
    defineApi({
      method: "PUT",
      path: "/replies/:id/vote",
      tag: "topics",
      summary: "Vote on a reply: 1, -1, or 0 to withdraw",
      auth: "required",
      params: idParams,
      body: voteBody,
      handler: async ({ actor, params, body }) => reactions.vote(deps, "reply", params.id, actor, body.value),
    }),
    defineApi({
      method: "POST",
      path: "/topics/:id/accept",
      tag: "topics",
      summary: "Accept a reply as the solution (asker or staff)",
      auth: "required",
      params: idParams,
      body: acceptBody,
      handler: async ({ actor, params, body }) => reactions.accept(deps, params.id, actor, body.replyId),
    }),
    defineApi({
      method: "DELETE",
      path: "/topics/:id/accept",
      tag: "topics",
      summary: "Withdraw the accepted solution (asker or staff)",
      auth: "required",
      params: idParams,
      handler: async ({ actor, params }) => reactions.accept(deps, params.id, actor, null),
    }),
    defineApi({
      method: "PUT",
      path: "/topics/:id/follow",
      tag: "topics",
      summary: "Follow a topic (me too)",
      auth: "required",
      params: idParams,
      handler: async ({ actor, params }) => reactions.follow(deps, params.id, actor, true),
    }),
    defineApi({
      method: "DELETE",
      path: "/topics/:id/follow",
      tag: "topics",
      summary: "Stop following a topic",
      auth: "required",
      params: idParams,
      handler: async ({ actor, params }) => reactions.follow(deps, params.id, actor, false),
    }),
  ];
}
