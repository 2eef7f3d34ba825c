import { z } from "zod";
import { slugParams } from "../http/api.js";
import { inCommunity } from "../communities/index.js";
import { listVisibleCategories } from "../communities/index.js";
import { definePage, defineForm } from "../web/page-route.js";
import * as topics from "./topics.service.js";
import * as posting from "./topics.posting.js";
import * as reactions from "./topics.reactions.js";
import { acceptBody, commentBody, listTopicsQuery, postBody, topicParams, voteBody } from "./topics.schema.js";
import { topicListView } from "./topics.views.js";
import { topicPageView } from "./topics.page.views.js";
import { renderTopicPanels } from "./topics.panels.js";
const voteInput = (v) => ({ value: Number(v.value) });
const none = z.object({});
const topicUrl = (params, anchor = "") => `/c/${encodeURIComponent(params.slug)}/t/${params.id}${anchor}`;
/** The topic list, the topic page, and the buttons and small forms on it. */
export function topicPages(deps) {
    /** The topic page with the panels other domains put around it, and forms shown again where refused. */
    const topicPage = async (page, data, forms = {}) => topicPageView(page, data, await renderTopicPanels(page, data), forms);
    /** A button on a topic (vote, accept, follow): the same use case as the API, then back to the topic. */
    const topicAction = (path, schema, run, toInput) => defineForm(deps, {
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
                const view = topicListView(page, { community: access.community, categories, filter: query, ...result });
                return { ...(await view), cache: { communityId: access.community.id, list: true } };
            },
        }),
        definePage(deps, {
            path: "/c/:slug/t/:id",
            params: topicParams,
            render: async ({ page, params: { slug, id } }) => {
                const data = await topics.getTopicPage(deps, id, page.actor);
                if (data.access.community.slug !== slug)
                    return { redirect: data.topic.url, status: 301 };
                return { ...(await topicPage(page, data)), cache: { communityId: data.access.community.id, topicId: id } };
            },
        }),
        topicAction("vote", voteBody, async ({ actor, id, data }) => {
            await reactions.vote(deps, "topic", id, actor, data.value);
            return "";
        }, voteInput),
        topicAction("accept", acceptBody, async ({ actor, id, data }) => {
            await reactions.accept(deps, id, actor, data.replyId);
            return `#reply-${data.replyId}`;
        }, (v) => ({ replyId: Number(v.replyId) })),
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
            run: async ({ actor, params, data }) => topicUrl(params, `#reply-${(await posting.createReply(deps, params.id, actor, data.body)).id}`),
            rerender: async ({ page, actor, params, form }) => topicPage(page, await topics.getTopicPage(deps, params.id, actor), { reply: form }),
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
