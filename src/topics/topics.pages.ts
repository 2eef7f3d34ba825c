import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { AppError, notFound } from "../core/errors.ts";
import type { MessageKey } from "../i18n/i18n.ts";
import { slugParams } from "../http/api.ts";
import { inCommunity, rememberAccess } from "../communities/index.ts";
import { listVisibleCategories } from "../communities/index.ts";
import { formNumber, type FormValues } from "../web/forms.ts";
import { withDone, type Done } from "../web/done.ts";
import type { PageContext } from "../web/layout.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import * as topics from "./topics.service.ts";
import * as posting from "./topics.posting.ts";
import * as reactions from "./topics.reactions.ts";
import { acceptBody, commentBody, listTopicsQuery, postBody, topicParams, voteBody } from "./topics.schema.ts";
import { topicListView } from "./topics.views.ts";
import { topicPageView, type TopicPageForms } from "./topics.page.views.ts";
import { renderTopicPanels, type RefusedPanelForm } from "./topics.panels.ts";
import { categoriesView, categoryOverview } from "./topics.categories.ts";
import { topicsShown } from "./topics.facts.ts";
import type { Category, Community } from "../db/schema.ts";
import type { ListTopicsInput } from "./topics.schema.ts";

declare module "../web/layout.ts" {
  interface PageSubjects {
    /** A topic with its replies, as the viewer sees it. */
    topic: { data: topics.TopicPageData };
    /** A community's topic list with the filter it shows; `empty` when it shows no topic. */
    topicList: { community: Community; categories: Category[]; filter: ListTopicsInput; empty: boolean };
  }
}

/** The vote's value as the API takes it: a blank or odd value ("", "0x1") is refused, not read as 0 or 1. */
const voteInput = (v: FormValues) => ({ value: formNumber(v.value) });
/** What the topic page confirms after each of its buttons. */
const DONE_BY_ACTION: Record<string, Done> = {
  vote: "voted",
  accept: "accepted",
  unaccept: "unaccepted",
  follow: "followed",
  unfollow: "unfollowed",
};
const none = z.object({});
const titledTopicParams = topicParams.extend({ titleSlug: z.string().max(200) });

/** The topic page with the panels other domains put around it, and forms shown again where refused. */
async function topicPage(page: PageContext, data: topics.TopicPageData, forms: TopicPageForms = {}) {
  return {
    ...topicPageView(page, data, await renderTopicPanels(page, data, forms.panel), forms),
    subject: { kind: "topic" as const, data },
  };
}

/** The topic page again with a panel's refused form and its messages (another domain's form rerender). */
export async function topicPageWithRefusedForm(
  deps: Deps,
  page: PageContext,
  topicId: number,
  refused: RefusedPanelForm,
) {
  return topicPage(page, await topics.getTopicPage(deps, topicId, page.actor), { panel: refused });
}

/**
 * The load step of a form on a topic: the topic under its own community's address only, so
 * `/c/other/t/ID/reply` is not found (404) instead of acting on another community's topic. With
 * `followMerge` (the reply and comment forms) a topic merged while the member typed is found as the
 * one it went into (`merged`), so that the form comes back there with their text.
 */
export const topicHere =
  (deps: Deps, { followMerge = false }: { followMerge?: boolean } = {}) =>
  async ({ params, actor }: { params: { slug: string; id: number }; actor: Actor | null }) => {
    const found = await topics.topicWithAccess(deps, params.id, actor, { followMerge });
    if (found.access.community.slug !== params.slug) throw notFound("Topic");
    return { ...found, merged: found.row.id !== params.id };
  };

/**
 * A reply or comment on a topic merged before it was sent (`merged`: the load followed the merge) or
 * while it was saved (409) is not posted; the form comes back on the topic it went into, text kept.
 */
async function notOnMerged<T>(merged: boolean, work: () => Promise<T>): Promise<T> {
  const explanation = { key: "post.topicMerged" } as const;
  if (merged) throw new AppError("conflict", "This topic was merged meanwhile: open it again.", undefined, explanation);
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.code === "conflict" && !error.explanation)
      throw new AppError("conflict", error.message, error.fields, explanation);
    throw error;
  }
}

/** The same for a reply's forms and pages (`/c/:slug/r/:id/...`): its topic must be in that community. */
export const replyHere =
  (deps: Deps) =>
  async ({ params, actor }: { params: { slug: string; id: number }; actor: Actor | null }) => {
    const context = await topics.replyContext(deps, params.id, actor);
    if (context.access.community.slug !== params.slug) throw notFound("Reply");
    return context;
  };

/**
 * A post refused without an explanation of its own (the topic locked, or the member suspended,
 * while they typed) gets the form's message `key`, so the form comes back with the text kept instead
 * of the error page; refusals the use case explains (links not yet allowed, SSO) keep their own message.
 */
export async function explained<T>(key: MessageKey, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.code === "forbidden" && !error.explanation)
      throw new AppError("forbidden", error.message, error.fields, { key });
    throw error;
  }
}

/** The topic list, the topic page, and the buttons and small forms on it. */
export function topicPages(deps: Deps): PageRoute[] {
  /** Back to the topic after a form: its canonical address (the title may have changed, or the topic moved). */
  const topicUrl = async (id: number, actor: Actor | null, anchor = "") =>
    (await topics.topicWithAccess(deps, id, actor, { followMerge: true })).canonicalUrl + anchor;

  /**
   * A button on a topic (vote, accept, follow): the same use case as the API, then back to the topic.
   * One pressed on a topic merged since its page was loaded changes nothing: the member lands on the
   * topic it went into, told so, to press it again there if they still wish.
   */
  const topicAction = <T>(
    path: string,
    schema: z.ZodType<T>,
    run: (input: { actor: Parameters<typeof reactions.follow>[2]; id: number; data: T }) => Promise<string>,
    toInput?: (v: FormValues) => unknown,
  ) =>
    defineForm(deps, {
      path: `/c/:slug/t/:id/${path}`,
      params: topicParams,
      load: topicHere(deps, { followMerge: true }),
      schema,
      toInput,
      run: async ({ actor, params, data, context }) =>
        context.merged
          ? withDone(context.canonicalUrl, "merged")
          : withDone(await topicUrl(params.id, actor, await run({ actor, id: params.id, data })), DONE_BY_ACTION[path]),
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
        const { community } = access;
        return {
          ...topicListView(page, { community, categories, filter: query, ...result }),
          subject: { kind: "topicList", community, categories, filter: query, empty: result.topics.length === 0 },
          cache: { communityId: community.id, list: true },
        };
      },
    }),

    definePage(deps, {
      path: "/c/:slug/categories",
      params: slugParams,
      load: inCommunity(deps),
      render: async ({ page, context: access }) => ({
        ...categoriesView(page, { community: access.community, categories: await categoryOverview(deps, access) }),
        cache: { communityId: access.community.id, list: true },
      }),
    }),

    // A topic's address is /c/:slug/t/:id/:title-slug; without the slug, or with a wrong one (an
    // edited title, a moved or merged topic), it answers 301 with the canonical address.
    definePage(deps, {
      path: "/c/:slug/t/:id",
      params: topicParams,
      render: async ({ page, params: { id } }) => ({
        redirect: (await topics.topicWithAccess(deps, id, page.actor, { followMerge: true })).canonicalUrl,
        status: 301,
      }),
    }),

    definePage(deps, {
      path: "/c/:slug/t/:id/:titleSlug",
      params: titledTopicParams,
      render: async ({ page, params: { slug, id, titleSlug } }) => {
        const data = await topics.getTopicPage(deps, id, page.actor);
        if (data.topic.url !== `/c/${slug}/t/${id}/${titleSlug}`) return { redirect: data.topic.url, status: 301 };
        rememberAccess(page, data.access);
        return {
          ...(await topicPage(page, data)),
          cache: { communityId: data.access.community.id, topicId: id, showsTopics: topicsShown(data.facts) },
        };
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
      (v) => ({ replyId: formNumber(v.replyId) }),
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
      load: topicHere(deps, { followMerge: true }),
      schema: postBody,
      run: async ({ actor, params, data, context: { merged } }) => {
        const reply = await notOnMerged(merged, () =>
          explained("reply.refused", () => posting.createReply(deps, params.id, actor, data.body)),
        );
        return topicUrl(params.id, actor, `#reply-${reply.id}`);
      },
      rerender: async ({ page, actor, params, form }) =>
        topicPage(page, await topics.getTopicPage(deps, params.id, actor), { reply: form }),
    }),

    defineForm(deps, {
      path: "/c/:slug/t/:id/comment",
      params: topicParams,
      load: topicHere(deps, { followMerge: true }),
      schema: commentBody,
      run: async ({ actor, params, data, context: { merged } }) => {
        const comment = await notOnMerged(merged, () =>
          explained("comment.refused", () => posting.createTopicComment(deps, params.id, actor, data.body)),
        );
        return topicUrl(params.id, actor, `#comment-${comment.id}`);
      },
      rerender: async ({ page, actor, params, form }) =>
        topicPage(page, await topics.getTopicPage(deps, params.id, actor), { comment: { replyId: null, form } }),
    }),

    defineForm(deps, {
      path: "/c/:slug/r/:id/comment",
      params: topicParams,
      load: replyHere(deps),
      schema: commentBody,
      run: async ({ actor, params, data, context: { topic } }) => {
        const comment = await explained("comment.refused", () =>
          posting.createComment(deps, params.id, actor, data.body),
        );
        return `${topic.url}#comment-${comment.id}`;
      },
      rerender: async ({ page, actor, params, form, context: { topic } }) => {
        return topicPage(page, await topics.getTopicPage(deps, topic.id, actor), {
          comment: { replyId: params.id, form },
        });
      },
    }),

    defineForm(deps, {
      path: "/c/:slug/r/:id/vote",
      params: topicParams,
      load: replyHere(deps),
      schema: voteBody,
      toInput: voteInput,
      run: async ({ actor, params, data, context: { topic } }) => {
        await reactions.vote(deps, "reply", params.id, actor, data.value);
        return withDone(`${topic.url}#reply-${params.id}`, "voted");
      },
    }),
  ];
}
