import type { Deps } from "../core/deps.ts";
import { defineApi, idParams, slugParams } from "../http/api.ts";
import { topicViewer, topicWithAccess } from "../topics/index.ts";
import { createArticle, editArticle, getArticle, listArticles } from "./articles.service.ts";
import { deflectionStats, postDeflectionEvent } from "./deflection.service.ts";
import { duplicateOf, markDuplicate, unmarkDuplicate } from "./duplicates.ts";
import {
  createArticleBody,
  deflectionEventBody,
  deflectionStatsQuery,
  duplicateBody,
  editArticleBody,
  listArticlesQuery,
  searchQuery,
  similarQuery,
} from "./search.schema.ts";
import { search } from "./search.service.ts";
import { similarTopics } from "./similar.ts";
import { DEFLECTION_TOKEN_HEADER, issueDeflectionToken, shownItems } from "./deflection.token.ts";
import { communityAccess } from "../communities/index.ts";
import { clientNetwork } from "../lib/rate-limit.ts";

/** Search, similar questions, duplicates, knowledge base articles and deflection events. */
export function searchRoutes(deps: Deps) {
  return [
    defineApi({
      method: "GET",
      path: "/communities/:slug/search",
      tag: "search",
      summary:
        "Full-text search: articles first, then topics by relevance (solved boosted), with snippet; q under 2 " +
        "letters gives no results",
      params: slugParams,
      query: searchQuery,
      cors: true,
      handler: async ({ actor, params, query }) =>
        search(deps, await communityAccess(deps, { slug: params.slug }, actor), query),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/similar",
      tag: "search",
      summary:
        "Existing topics and articles similar to a question being written: [{type, topic, article, score}]; the " +
        "X-Deflection-Token header is what deflection events echo",
      params: slugParams,
      query: similarQuery,
      handler: async ({ actor, params, query, reply }) => {
        const access = await communityAccess(deps, { slug: params.slug }, actor);
        const items = await similarTopics(deps, access, query);
        // The body stays a plain array: the token that deflection events echo travels in a header.
        const shown = {
          communityId: access.community.id,
          kind: "suggestions" as const,
          query: query.title,
          items: shownItems(items),
        };
        reply.header(DEFLECTION_TOKEN_HEADER, await issueDeflectionToken(deps.db, shown, deps.clock.now()));
        return items;
      },
    }),
    defineApi({
      method: "POST",
      path: "/topics/:id/duplicate",
      tag: "search",
      summary: "Mark a topic as a duplicate of another topic of the community (moderator); followers are merged",
      auth: "required",
      params: idParams,
      body: duplicateBody,
      handler: async ({ actor, params, body }) => markDuplicate(deps, params.id, actor, body.of),
    }),
    defineApi({
      method: "DELETE",
      path: "/topics/:id/duplicate",
      tag: "search",
      summary: "Remove a duplicate mark (moderator)",
      auth: "required",
      params: idParams,
      handler: async ({ actor, params }) => unmarkDuplicate(deps, params.id, actor),
    }),
    defineApi({
      method: "GET",
      path: "/topics/:id/duplicate",
      tag: "search",
      summary: "The original a topic duplicates, or null",
      params: idParams,
      handler: async ({ actor, params }) => {
        const { access } = await topicWithAccess(deps, params.id, actor);
        return { topicId: params.id, duplicateOf: await duplicateOf(deps, params.id, topicViewer(access)) };
      },
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/articles",
      tag: "articles",
      summary: "Knowledge base articles, newest first",
      params: slugParams,
      query: listArticlesQuery,
      handler: async ({ actor, params, query }) =>
        listArticles(deps, await communityAccess(deps, { slug: params.slug }, actor), query),
    }),
    defineApi({
      method: "POST",
      path: "/communities/:slug/articles",
      tag: "articles",
      summary: "Publish an article, from scratch or promoted from a solved topic (staff)",
      auth: "required",
      params: slugParams,
      body: createArticleBody,
      status: 201,
      handler: async ({ actor, params, body }) => ({
        article: await createArticle(deps, await communityAccess(deps, { slug: params.slug }, actor), body),
      }),
    }),
    defineApi({
      method: "GET",
      path: "/articles/:id",
      tag: "articles",
      summary: "One knowledge base article",
      params: idParams,
      handler: async ({ actor, params }) => ({ article: (await getArticle(deps, params.id, actor)).article }),
    }),
    defineApi({
      method: "PATCH",
      path: "/articles/:id",
      tag: "articles",
      summary: "Edit an article (staff)",
      auth: "required",
      params: idParams,
      body: editArticleBody,
      handler: async ({ actor, params, body }) => ({ article: await editArticle(deps, params.id, actor, body) }),
    }),
    defineApi({
      method: "POST",
      path: "/communities/:slug/deflection-events",
      tag: "search",
      summary: "Record a suggestion shown or opened, a search result opened or a topic posted (no login; rate-limited)",
      params: slugParams,
      body: deflectionEventBody,
      status: 201,
      cors: true,
      handler: async ({ actor, params, body, req }) => {
        await postDeflectionEvent(
          deps,
          await communityAccess(deps, { slug: params.slug }, actor),
          body,
          clientNetwork(req.ip),
        );
        return { ok: true };
      },
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/stats/deflection",
      tag: "search",
      summary: "Suggestions, opens, posts and deflected contacts per day (staff)",
      auth: "required",
      params: slugParams,
      query: deflectionStatsQuery,
      handler: async ({ actor, params, query }) =>
        deflectionStats(deps, await communityAccess(deps, { slug: params.slug }, actor), query),
    }),
  ];
}
