import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { idParams, slugParams } from "../http/api.ts";
import { listVisibleCategories } from "../communities/communities.service.ts";
import { can } from "../access/privileges.ts";
import { notFound, validationFailed } from "../core/errors.ts";
import { pageContext } from "../web/layout.ts";
import { pathParams, requireActor, sendPage } from "../web/page.ts";
import { submitForm, type FormValues } from "../web/forms.ts";
import * as topics from "./topics.service.ts";
import * as posting from "./topics.posting.ts";
import * as reactions from "./topics.reactions.ts";
import { findReply } from "./topics.queries.ts";
import { replyAbilities, topicAbilities } from "./topics.policy.ts";
import { acceptBody, commentBody, listTopicsQuery, postBody, voteBody } from "./topics.schema.ts";
import { topicListView } from "./topics.views.ts";
import { html } from "../web/html.ts";
import { topicPageView } from "./topics.page.views.ts";
import { duplicateBanner, duplicateOf } from "../search/duplicates.ts";

import { bookHelperLink } from "../marketplace/topic-link.ts";

import { communityAccess } from "../communities/communities.access.ts";

export const topicParams = slugParams.extend({ id: idParams.shape.id });

/** A reply with its topic and the viewer's abilities on it: reply pages and actions link back to the topic. */
export async function replyContext(deps: Deps, replyId: number, actor: Actor | null) {
  const reply = await findReply(deps.db, replyId);
  if (!reply) throw notFound("Reply");
  const { row, access } = await topics.topicWithAccess(deps, reply.topicId, actor);
  const topic = topics.toPublicTopic(row, access.community);
  return { reply, topic, access, abilities: replyAbilities(access, row, topicAbilities(access, row), reply) };
}

/** Empty filter fields mean "any": the GET form sends them as empty strings. */
function withoutEmpty(query: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ""));
}

const voteInput = (v: FormValues) => ({ value: Number(v.value) });

/** The topic list, the topic page, and the buttons and small forms on it. */
export function registerTopicPages(app: FastifyInstance, deps: Deps): void {
  app.get("/c/:slug", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const access = await communityAccess(deps, { slug: pathParams(slugParams, req.params).slug }, page.actor);
    const parsed = listTopicsQuery.safeParse(withoutEmpty(req.query));
    if (!parsed.success)
      throw validationFailed(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
    const [categories, result] = await Promise.all([
      listVisibleCategories(deps, access),
      topics.listTopics(deps, access, parsed.data),
    ]);
    const view = topicListView(page, {
      community: access.community,
      categories,
      filter: parsed.data,
      ...result,
    });
    return sendPage(page, view);
  });

  app.get("/c/:slug/t/:id", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const { slug, id } = pathParams(topicParams, req.params);
    const data = await topics.getTopicPage(deps, id, page.actor);
    if (data.access.community.slug !== slug) return reply.redirect(data.topic.url, 301);
    const promote =
      data.topic.status === "solved" && can(data.access, "article.write")
        ? html`<p class="notice-inline"><a href="/c/${slug}/kb/new?from=${id}">${page.t("kb.promote")}</a></p>`
        : "";
    const [duplicate, bookHelper] = await Promise.all([
      duplicateOf(deps, id),
      bookHelperLink(deps, data.topic, page.t),
    ]);
    return sendPage(
      page,
      topicPageView(page, data, {}, html`${duplicateBanner(page, duplicate)}${promote}${bookHelper ?? ""}`),
    );
  });

  /**
   * A button on a topic (vote, accept, follow): the same use case as the API, then back to the
   * topic; `run` returns the fragment to land on.
   */
  function topicAction<T>(
    path: string,
    schema: z.ZodType<T>,
    toInput: ((v: FormValues) => unknown) | undefined,
    run: (actor: Actor, id: number, input: T) => Promise<string>,
  ) {
    app.post(`/c/:slug/t/:id/${path}`, async (req, reply) => {
      const page = pageContext(req, reply, deps);
      const { slug, id } = pathParams(topicParams, req.params);
      const actor = requireActor(page);
      return submitForm(page, {
        schema,
        toInput,
        run: async (input) => `/c/${encodeURIComponent(slug)}/t/${id}${await run(actor, id, input)}`,
      });
    });
  }
  const none = z.object({});
  topicAction("vote", voteBody, voteInput, async (actor, id, input) => {
    await reactions.vote(deps, "topic", id, actor, input.value);
    return "";
  });
  topicAction(
    "accept",
    acceptBody,
    (v) => ({ replyId: Number(v.replyId) }),
    async (actor, id, input) => {
      await reactions.accept(deps, id, actor, input.replyId);
      return `#reply-${input.replyId}`;
    },
  );
  topicAction("unaccept", none, undefined, async (actor, id) => {
    await reactions.accept(deps, id, actor, null);
    return "";
  });
  topicAction("follow", none, undefined, async (actor, id) => {
    await reactions.follow(deps, id, actor, true);
    return "";
  });
  topicAction("unfollow", none, undefined, async (actor, id) => {
    await reactions.follow(deps, id, actor, false);
    return "";
  });

  app.post("/c/:slug/t/:id/reply", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const { slug, id } = pathParams(topicParams, req.params);
    const actor = requireActor(page);
    return submitForm(page, {
      schema: postBody,
      run: async (input) =>
        `/c/${encodeURIComponent(slug)}/t/${id}#reply-${(await posting.createReply(deps, id, actor, input.body)).id}`,
      rerender: async (form) => topicPageView(page, await topics.getTopicPage(deps, id, actor), { reply: form }),
    });
  });

  app.post("/c/:slug/r/:id/comment", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const { id } = pathParams(topicParams, req.params);
    const actor = requireActor(page);
    return submitForm(page, {
      schema: commentBody,
      run: async (input) => {
        const comment = await posting.createComment(deps, id, actor, input.body);
        return `${(await replyContext(deps, id, actor)).topic.url}#comment-${comment.id}`;
      },
      rerender: async (form) => {
        const { topic } = await replyContext(deps, id, actor);
        return topicPageView(page, await topics.getTopicPage(deps, topic.id, actor), {
          comment: { replyId: id, form },
        });
      },
    });
  });

  app.post("/c/:slug/r/:id/vote", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const { id } = pathParams(topicParams, req.params);
    const actor = requireActor(page);
    return submitForm(page, {
      schema: voteBody,
      toInput: voteInput,
      run: async (input) => {
        await reactions.vote(deps, "reply", id, actor, input.value);
        return `${(await replyContext(deps, id, actor)).topic.url}#reply-${id}`;
      },
    });
  });
}
