import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { inCommunity } from "../communities/index.ts";
import { listVisibleCategories } from "../communities/index.ts";
import type { FormValues } from "../web/forms.ts";
import type { PageContext } from "../web/layout.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import * as topics from "./topics.service.ts";
import * as posting from "./topics.posting.ts";
import * as reactions from "./topics.reactions.ts";
import { acceptBody, commentBody, listTopicsQuery, postBody, topicParams, voteBody } from "./topics.schema.ts";
import { topicListView } from "./topics.views.ts";
import { topicPageView, type TopicPageForms } from "./topics.page.views.ts";
import { renderTopicPanels } from "./topics.panels.ts";

const voteInput = (v: FormValues) => ({ value: Number(v.value) });
const none = z.object({});
const topicUrl = (params: { slug: string; id: number }, anchor = "") =>
  `/c/${encodeURIComponent(params.slug)}/t/${params.id}${anchor}`;

/** The topic list, the topic page, and the buttons and small forms on it. */
export function topicPages(deps: Deps): PageRoute[] {
  /** The topic page with the panels other domains put around it, and forms shown again where refused. */
  const topicPage = async (page: PageContext, data: topics.TopicPageData, forms: TopicPageForms = {}) =>
    topicPageView(page, data, await renderTopicPanels(page, data), forms);

  /** A button on a topic (vote, accept, follow): the same use case as the API, then back to the topic. */
  const topicAction = <T>(
    path: string,
    schema: z.ZodType<T>,
    run: (input: { actor: Parameters<typeof reactions.follow>[2]; id: number; data: T }) => Promise<string>,
    toInput?: (v: FormValues) => unknown,
  ) =>
    defineForm(deps, {
      path: `/c/:slug/t/:id/${path}`,
      params: topicParams,
      schema,
      toInput,
      run: async ({ actor, params, data }) => topicUrl(params, await run({ actor, id: params.id, data })),
    });

  return [
    definePage(deps, {
      path: "/c/:slug",
      params: slugParams,
      query: listTopicsQuery,
      load: inCommunity(deps),
      render: async ({ page, query, context: access }) => {
        const [categories, result] = await Promise.all([
          listVisibleCategories(deps, access),
          topics.listTopics(deps, access, query),
        ]);
        return topicListView(page, { community: access.community, categories, filter: query, ...result });
      },
    }),

    definePage(deps, {
      path: "/c/:slug/t/:id",
      params: topicParams,
      render: async ({ page, params: { slug, id } }) => {
        const data = await topics.getTopicPage(deps, id, page.actor);
        if (data.access.community.slug !== slug) return { redirect: data.topic.url, status: 301 };
        return topicPage(page, data);
      },
    }),

    topicAction(
      "vote",
      voteBody,
      async ({ actor, id, data }) => {
        await reactions.vote(deps, "topic", id, actor, data.value);
        return "";
      },
      voteInput,
    ),
    topicAction(
      "accept",
      acceptBody,
      async ({ actor, id, data }) => {
        await reactions.accept(deps, id, actor, data.replyId);
        return `#reply-${data.replyId}`;
      },
      (v) => ({ replyId: Number(v.replyId) }),
    ),
    topicAction("unaccept", none, async ({ actor, id }) => {
      await reactions.accept(deps, id, actor, null);
      return "";
    }),
    topicAction("follow", none, async ({ actor, id }) => {
      await reactions.follow(deps, id, actor, true);
      return "";
    }),
    topicAction("unfollow", none, async ({ actor, id }) => {
      await reactions.follow(deps, id, actor, false);
      return "";
    }),

    defineForm(deps, {
      path: "/c/:slug/t/:id/reply",
      params: topicParams,
      schema: postBody,
      run: async ({ actor, params, data }) =>
        topicUrl(params, `#reply-${(await posting.createReply(deps, params.id, actor, data.body)).id}`),
      rerender: async ({ page, actor, params, form }) =>
        topicPage(page, await topics.getTopicPage(deps, params.id, actor), { reply: form }),
    }),

    defineForm(deps, {
      path: "/c/:slug/r/:id/comment",
      params: topicParams,
      schema: commentBody,
      run: async ({ actor, params, data }) => {
        const comment = await posting.createComment(deps, params.id, actor, data.body);
        return `${(await topics.replyContext(deps, params.id, actor)).topic.url}#comment-${comment.id}`;
      },
      rerender: async ({ page, actor, params, form }) => {
        const { topic } = await topics.replyContext(deps, params.id, actor);
        return topicPage(page, await topics.getTopicPage(deps, topic.id, actor), {
          comment: { replyId: params.id, form },
        });
      },
    }),

    defineForm(deps, {
      path: "/c/:slug/r/:id/vote",
      params: topicParams,
      schema: voteBody,
      toInput: voteInput,
      run: async ({ actor, params, data }) => {
        await reactions.vote(deps, "reply", params.id, actor, data.value);
        return `${(await topics.replyContext(deps, params.id, actor)).topic.url}#reply-${params.id}`;
      },
    }),
  ];
}
