import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { LIMITS } from "../core/config.ts";
import { slugParams } from "../http/api.ts";
import { inCommunity } from "../communities/index.ts";
import { listVisibleCategories } from "../communities/index.ts";
import { can } from "../access/privileges.ts";
import { suspensionOf, type CommunityAccess } from "../access/access.ts";
import { AppError } from "../core/errors.ts";
import { dateTimeWithHint } from "../i18n/time-format.ts";
import type { PageContext } from "../web/layout.ts";
import { blankForm, splitList, type FormValues, formNumberOrNull } from "../web/forms.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import * as topics from "./topics.service.ts";
import * as posting from "./topics.posting.ts";
import { topicAbilities } from "./topics.policy.ts";
import { createTopicBody, editReplyBody, editTopicBody, KINDS, topicParams } from "./topics.schema.ts";
import { topicPath } from "./topics.urls.ts";
import { editReplyView, editTopicView, historyView, newTopicView } from "./topics.forms.views.ts";
import { explained, replyHere, topicHere } from "./topics.pages.ts";
import { refusedPage } from "../web/page.ts";
import { iso } from "../lib/iso-time.ts";

/** An edit form's base version: empty for a post never edited. */
const editInput = (v: FormValues) => ({
  ...v,
  baseEditedAt: v.baseEditedAt === undefined ? undefined : v.baseEditedAt || null,
});

/** Form text to the API's topic input: the category id as a number, tags as a list. */
const topicInput = (v: FormValues) => ({
  ...editInput(v),
  categoryId: formNumberOrNull(v.categoryId),
  tags: splitList(v.tags),
});

/**
 * The new-topic form may start with a title (`?title=`, e.g. from the widget's "Ask the community") and a
 * kind (`?kind=idea`, from the ideas board's "Suggest an idea"): one line, cut to the longest title; anything
 * odd leaves that field empty instead of failing.
 */
const newTopicQuery = z.object({
  title: z
    .string()
    .transform((text) => text.replace(/\s+/g, " ").trim().slice(0, LIMITS.titleMax))
    .optional()
    .catch(undefined),
  kind: z.enum(KINDS).optional().catch(undefined),
});

/** A reply's id and version as its edit form sends them back. */
const editedReply = (reply: { id: number; editedAt: number | string | null }) => ({
  id: reply.id,
  editedAt: iso(reply.editedAt),
});

/** What the `load` step of a page for signed-in members receives. */
type SignedIn<P> = { params: P; actor: Actor; page: PageContext };

/**
 * Why an edit is refused, as a form message: a suspended member is told so, with the end and the
 * reason of the suspension (as posting tells them), rather than that the post is not theirs.
 */
function editRefusal(
  page: PageContext,
  access: CommunityAccess,
): { key: "post.suspended" | "post.cannotEdit"; params?: Record<string, string> } {
  const suspension = suspensionOf(access);
  if (!suspension) return { key: "post.cannotEdit" };
  return {
    key: "post.suspended",
    params: { until: dateTimeWithHint(page, suspension.until), reason: suspension.reason },
  };
}

/** The edit page refused before it is shown, with the reason `editRefusal` gives. */
function refuseEdit(page: PageContext, access: CommunityAccess): AppError {
  const { key, params } = editRefusal(page, access);
  return refusedPage(page, key, params);
}

/**
 * `explained` for edits: a refusal without its own explanation gets `editRefusal`'s message, and so does a
 * suspension's, whose end the page writes in the reader's language and time zone (access.ts can only write UTC).
 */
async function explainedEdit<T>(page: PageContext, access: CommunityAccess, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const explained = error instanceof AppError && error.explanation?.key !== "post.suspended" && error.explanation;
    if (error instanceof AppError && error.code === "forbidden" && !explained)
      throw new AppError("forbidden", error.message, error.fields, editRefusal(page, access));
    throw error;
  }
}

/**
 * Posting a topic, editing topics and replies (signed-in members: anonymous visitors get the 401
 * page with a link to log in and come back), and their version history.
 */
export function topicEditPages(deps: Deps): PageRoute[] {
  /** The community with the categories the viewer may post in. */
  const postingIn = async (input: SignedIn<{ slug: string }>) => {
    const access = await inCommunity(deps)(input);
    return { access, categories: await listVisibleCategories(deps, access) };
  };

  /** Members who may post here, with the categories they may post in. */
  const poster = async (input: SignedIn<{ slug: string }>) => {
    const context = await postingIn(input);
    if (!can(context.access, "topic.create")) throw refusedPage(input.page, "topic.cannotPost");
    return context;
  };

  /**
   * The new-topic form's post: refused before it is read, as the page is, except for a member
   * suspended while typing, whom the use case refuses so that the form comes back with the text.
   */
  const posterOrSuspended = async (input: SignedIn<{ slug: string }>) => {
    const context = await postingIn(input);
    if (!can(context.access, "topic.create") && !suspensionOf(context.access))
      throw refusedPage(input.page, "topic.cannotPost");
    return context;
  };

  /**
   * The edit form's post: refused before it is read, except for the author and a suspended member
   * (either suspended while typing: the form comes back with their text and the reason).
   * `tagsOnly`: the viewer may change only the tags (the retag privilege), so the form has only them;
   * so does a suspended member's who is not the author, who could only have been retagging.
   */
  const topicToEdit = async ({ params, actor, page }: SignedIn<{ slug: string; id: number }>) => {
    const { row, access } = await topicHere(deps)({ params, actor });
    const abilities = topicAbilities(access, row);
    const author = row.authorId === actor.id;
    if (!abilities.edit && !abilities.retag && !author && !suspensionOf(access)) throw refuseEdit(page, access);
    const topic = topics.toPublicTopic(row, access.community);
    return { topic, community: access.community, access, tagsOnly: !abilities.edit && (abilities.retag || !author) };
  };

  const replyToEdit = async ({ params, actor, page }: SignedIn<{ slug: string; id: number }>) => {
    const context = await replyHere(deps)({ params, actor });
    if (!context.abilities.edit && context.reply.authorId !== actor.id) throw refuseEdit(page, context.access);
    return context;
  };

  /** A topic its viewer may edit, or retag only (`tagsOnly`). */
  const editableTopic = async ({ params, actor, page }: SignedIn<{ slug: string; id: number }>) => {
    const { row, access } = await topicHere(deps)({ params, actor });
    const abilities = topicAbilities(access, row);
    if (!abilities.edit && !abilities.retag) throw refuseEdit(page, access);
    const topic = topics.toPublicTopic(row, access.community);
    return { topic, community: access.community, tagsOnly: !abilities.edit };
  };

  /** A reply its viewer may edit, with its topic. */
  const editableReply = async ({ params, actor, page }: SignedIn<{ slug: string; id: number }>) => {
    const context = await replyHere(deps)({ params, actor });
    if (!context.abilities.edit) throw refuseEdit(page, context.access);
    return context;
  };

  return [
    definePage(deps, {
      path: "/c/:slug/new",
      params: slugParams,
      query: newTopicQuery,
      auth: "required",
      load: poster,
      render: async ({ page, query, context: { access, categories } }) => {
        const { title, kind } = query;
        return newTopicView(
          page,
          access.community,
          categories,
          blankForm({ ...(title && { title }), ...(kind && { kind }) }),
        );
      },
    }),

    defineForm(deps, {
      path: "/c/:slug/new",
      params: slugParams,
      // Suspended while typing: the form again with the message and the text (403), not the error page.
      load: posterOrSuspended,
      schema: createTopicBody,
      toInput: topicInput,
      run: async ({ data, values, context: { access } }) => {
        const topic = await explained("topic.cannotPost", () =>
          posting.createTopic(deps, access, data, { visitId: values.visitId }),
        );
        return topics.toPublicTopic(topic, access.community).url;
      },
      rerender: async ({ page, form, context: { access, categories } }) =>
        newTopicView(page, access.community, categories, form),
    }),

    definePage(deps, {
      path: "/c/:slug/t/:id/edit",
      params: topicParams,
      auth: "required",
      load: editableTopic,
      render: async ({ page, context: { topic, community, tagsOnly } }) =>
        editTopicView(
          page,
          community,
          topic,
          blankForm(
            tagsOnly
              ? { tags: topic.tags.join(", ") }
              : { title: topic.title, body: topic.body, tags: topic.tags.join(", ") },
          ),
          tagsOnly,
        ),
    }),

    defineForm(deps, {
      path: "/c/:slug/t/:id/edit",
      params: topicParams,
      load: topicToEdit,
      schema: editTopicBody,
      toInput: topicInput,
      run: async ({ page, actor, data, context: { topic, access } }) => {
        await explainedEdit(page, access, () => posting.editTopic(deps, topic.id, actor, data));
        return topicPath(topic.community, topic.id, data.title ?? topic.title);
      },
      rerender: async ({ page, form, context: { topic, community, tagsOnly } }) =>
        editTopicView(page, community, topic, form, tagsOnly),
    }),

    definePage(deps, {
      path: "/c/:slug/r/:id/edit",
      params: topicParams,
      auth: "required",
      load: editableReply,
      render: async ({ page, context: { reply, topic, access } }) =>
        editReplyView(page, access.community, topic, editedReply(reply), blankForm({ body: reply.body })),
    }),

    defineForm(deps, {
      path: "/c/:slug/r/:id/edit",
      params: topicParams,
      load: replyToEdit,
      schema: editReplyBody,
      toInput: editInput,
      run: async ({ page, actor, data, context: { reply, topic, access } }) => {
        await explainedEdit(page, access, () => posting.editReply(deps, reply.id, actor, data.body, data.baseEditedAt));
        return `${topic.url}#reply-${reply.id}`;
      },
      rerender: async ({ page, form, context: { reply, topic, access } }) =>
        editReplyView(page, access.community, topic, editedReply(reply), form),
    }),

    definePage(deps, {
      path: "/c/:slug/t/:id/history",
      params: topicParams,
      render: async ({ page, actor, params }) => {
        const { row, access } = await topicHere(deps)({ params, actor });
        const topic = topics.toPublicTopic(row, access.community);
        const versions = await topics.getHistory(deps, "topic", row);
        const heading = page.t("history.topic");
        const redactBase = can(access, "post.redact") ? `/c/${access.community.slug}/t/${row.id}/history` : null;
        return historyView(page, { community: access.community, topic, heading, versions, redactBase });
      },
    }),

    definePage(deps, {
      path: "/c/:slug/r/:id/history",
      params: topicParams,
      render: async ({ page, actor, params }) => {
        const { id } = params;
        const { topic, access } = await replyHere(deps)({ params, actor });
        const versions = await topics.getReplyHistory(deps, id, actor);
        const heading = page.t("history.reply", { name: topic.title });
        const redactBase = can(access, "post.redact") ? `/c/${access.community.slug}/r/${id}/history` : null;
        return historyView(page, { community: access.community, topic, heading, versions, redactBase });
      },
    }),
  ];
}
