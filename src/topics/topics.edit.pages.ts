import type { FastifyInstance, FastifyRequest, FastifyReply } from "fastify";
import type { Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { listVisibleCategories } from "../communities/communities.service.ts";
import { can } from "../access/privileges.ts";
import { forbidden } from "../core/errors.ts";
import { pageContext, type PageContext } from "../web/layout.ts";
import { loginUrl, pathParams, redirect, sendPage } from "../web/page.ts";
import { blankForm, splitList, submitForm, type FormValues } from "../web/forms.ts";
import * as topics from "./topics.service.ts";
import * as posting from "./topics.posting.ts";
import { topicAbilities } from "./topics.policy.ts";
import { createTopicBody, editTopicBody, postBody } from "./topics.schema.ts";
import { topicParams } from "./topics.schema.ts";
import { editReplyView, editTopicView, historyView, newTopicView } from "./topics.forms.views.ts";
import { communityAccess } from "../communities/communities.access.ts";

/** Form text to the API's topic input: the category id as a number, tags as a list. */
const topicInput = (v: FormValues) => ({
  ...v,
  ...(v.categoryId !== undefined ? { categoryId: v.categoryId ? Number(v.categoryId) : null } : {}),
  tags: splitList(v.tags),
});

/** A form page for logged-in people only: anonymous visitors are sent to log in and come back. */
function loggedInPage(deps: Deps, handler: (page: PageContext, req: FastifyRequest) => Promise<FastifyReply>) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const page = pageContext(req, reply, deps);
    if (!page.actor) return redirect(reply, loginUrl(page.path));
    return handler(page, req);
  };
}

/** Posting a topic, editing topics and replies, and their version history. */
export function registerTopicEditPages(app: FastifyInstance, deps: Deps): void {
  async function newTopicAccess(page: PageContext, params: unknown) {
    const access = await communityAccess(deps, { slug: pathParams(slugParams, params).slug }, page.actor);
    if (!can(access, "topic.create")) throw forbidden(page.t("topic.cannotPost"));
    return { access, categories: await listVisibleCategories(deps, access) };
  }

  app.get(
    "/c/:slug/new",
    loggedInPage(deps, async (page, req) => {
      const { access, categories } = await newTopicAccess(page, req.params);
      return sendPage(page, newTopicView(page, access.community, categories, blankForm()));
    }),
  );

  app.post(
    "/c/:slug/new",
    loggedInPage(deps, async (page, req) => {
      const { access, categories } = await newTopicAccess(page, req.params);
      return submitForm(page, {
        schema: createTopicBody,
        toInput: topicInput,
        run: async (input) => {
          const visitId = (req.body as Record<string, unknown> | undefined)?.visitId;
          return topics.toPublicTopic(await posting.createTopic(deps, access, input, { visitId }), access.community)
            .url;
        },
        rerender: (form) => newTopicView(page, access.community, categories, form),
      });
    }),
  );

  async function editableTopic(page: PageContext, params: unknown) {
    const { row, access } = await topics.topicWithAccess(deps, pathParams(topicParams, params).id, page.actor);
    if (!topicAbilities(access, row).edit) throw forbidden(page.t("post.cannotEdit"));
    return { topic: topics.toPublicTopic(row, access.community), community: access.community };
  }

  app.get(
    "/c/:slug/t/:id/edit",
    loggedInPage(deps, async (page, req) => {
      const { topic, community } = await editableTopic(page, req.params);
      return sendPage(
        page,
        editTopicView(
          page,
          community,
          topic,
          blankForm({ title: topic.title, body: topic.body, tags: topic.tags.join(", ") }),
        ),
      );
    }),
  );

  app.post(
    "/c/:slug/t/:id/edit",
    loggedInPage(deps, async (page, req) => {
      const { topic, community } = await editableTopic(page, req.params);
      return submitForm(page, {
        schema: editTopicBody,
        toInput: topicInput,
        run: async (input) => {
          await posting.editTopic(deps, topic.id, page.actor, input);
          return topic.url;
        },
        rerender: (form) => editTopicView(page, community, topic, form),
      });
    }),
  );

  async function editableReply(page: PageContext, params: unknown) {
    const context = await topics.replyContext(deps, pathParams(topicParams, params).id, page.actor);
    if (!context.abilities.edit) throw forbidden(page.t("post.cannotEdit"));
    return context;
  }

  app.get(
    "/c/:slug/r/:id/edit",
    loggedInPage(deps, async (page, req) => {
      const { reply, topic, access } = await editableReply(page, req.params);
      return sendPage(page, editReplyView(page, access.community, topic, reply.id, blankForm({ body: reply.body })));
    }),
  );

  app.post(
    "/c/:slug/r/:id/edit",
    loggedInPage(deps, async (page, req) => {
      const { reply, topic, access } = await editableReply(page, req.params);
      return submitForm(page, {
        schema: postBody,
        run: async (input) => {
          await posting.editReply(deps, reply.id, page.actor, input.body);
          return `${topic.url}#reply-${reply.id}`;
        },
        rerender: (form) => editReplyView(page, access.community, topic, reply.id, form),
      });
    }),
  );

  app.get("/c/:slug/t/:id/history", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const { row, access } = await topics.topicWithAccess(deps, pathParams(topicParams, req.params).id, page.actor);
    const topic = topics.toPublicTopic(row, access.community);
    const versions = await topics.getHistory(deps, "topic", row);
    return sendPage(
      page,
      historyView(page, { community: access.community, topic, heading: page.t("history.topic"), versions }),
    );
  });

  app.get("/c/:slug/r/:id/history", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const { id } = pathParams(topicParams, req.params);
    const { topic, access } = await topics.replyContext(deps, id, page.actor);
    const versions = await topics.getReplyHistory(deps, id, page.actor);
    return sendPage(
      page,
      historyView(page, {
        community: access.community,
        topic,
        heading: page.t("history.reply", { name: topic.title }),
        versions,
      }),
    );
  });
}
