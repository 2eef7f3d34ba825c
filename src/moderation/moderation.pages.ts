import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { recordId, slugParams } from "../http/api.ts";
import { inCommunity, type LoadedAccess } from "../communities/index.ts";
import { listCategories, updateCommunity, updateCommunityBody } from "../communities/index.ts";
import { allowedOrigins, allowedOriginsBody, setAllowedOrigins } from "../communities/index.ts";
import { originsInput, originsValues, widgetScriptPath } from "../widget/index.ts";
import { can } from "../access/privileges.ts";
import { notFound } from "../core/errors.ts";
import type { PageContext } from "../web/layout.ts";
import { refererPath, refusedPage } from "../web/page.ts";
import { withDone } from "../web/done.ts";
import { blankForm, type FormState, type FormValues, formNumber, formNumberOrNull } from "../web/forms.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import { replyHere, topicHere, toPublicTopic } from "../topics/index.ts";
import { topicAbilities } from "../topics/index.ts";
import { topicParams } from "../topics/index.ts";
import { reputationSettings, reputationSettingsPatch } from "../reputation/index.ts";
import { updateReputationSettings } from "../reputation/index.ts";
import {
  banBody,
  flagBody,
  hideBody,
  memberParams,
  mergeBody,
  moveBody,
  postParams,
  queueQuery,
  reviewBody,
  redactBody,
  reviewParams,
  suspendBody,
  versionPageParams,
  warnBody,
} from "./moderation.schema.ts";
import { moderationSettingsPatch } from "./moderation.settings.ts";
import { flagPost } from "./moderation.flags.ts";
import { hideOrRestore, loadPost } from "./moderation.posts.ts";
import { listQueue, resolveItem } from "./moderation.queue.ts";
import { mergeTopic, moveTopic, setLocked } from "./moderation.topics.ts";
import { suspend, unsuspend, warn } from "./moderation.members.ts";
import { redactVersion } from "./moderation.redact.ts";
import { removeMember } from "./moderation.removal.ts";
import { auditLog, readModerationSettings, updateModerationSettings } from "./moderation.service.ts";
import { flagPage, moderateTopicView } from "./moderation.views.ts";
import { auditLogView, reviewQueueView } from "./moderation.queue.views.ts";
import { settingsPatch, settingsValues, settingsView } from "./moderation.settings.views.ts";
import type { SettingsSection } from "./moderation.settings.views.ts";

const postPageParams = slugParams.extend(postParams.shape);
const beforeQuery = z.object({ before: recordId().optional() });
const savedQuery = z.object({ saved: z.string().optional() }).catch({});
const numberFields = (names: string[]) => (v: FormValues) => ({
  ...v,
  ...Object.fromEntries(names.map((n) => [n, formNumber(v[n])])),
});
const none = z.object({});
const OPEN_QUEUE = { status: "open", limit: 25 } as const;
/** The community card's fields as the API takes them (the form sends every field, the API any). */
const generalInput = (v: FormValues) => ({
  name: v.name,
  description: v.description ?? "",
  visibility: v.visibility,
  locale: v.locale,
  timeZone: v.timeZone,
});
const topicUrl = ({ slug, id }: { slug: string; id: number }) => `/c/${slug}/t/${id}`;
const profileUrl = ({ slug, userId }: { slug: string; userId: number }) => `/c/${slug}/u/${userId}`;

/** The review queue, the audit log, moderator forms on topics, posts and members, and the settings page. */
export function moderationPages(deps: Deps): PageRoute[] {
  /** A post's forms act under its own community's address only: elsewhere it is not found (404). */
  const postHere = async ({ params, actor }: { params: z.infer<typeof postPageParams>; actor: Actor | null }) => {
    const { post } = await loadPost(deps, params.type, params.id, actor);
    if (post.communitySlug !== params.slug) throw notFound("Post");
  };
  /** The load step of the settings page and its forms: admins only, with the settings as they are. */
  const adminSettings = async (input: { params: { slug: string }; actor: Actor; page: PageContext }) => {
    const access = await inCommunity(deps)(input);
    if (!can(access, "community.configure")) throw refusedPage(input.page, "set.adminsOnly");
    const [reputation, moderation, origins] = await Promise.all([
      reputationSettings(deps.db, access.community.id),
      readModerationSettings(deps, access),
      allowedOrigins(deps, access),
    ]);
    const { name, description, visibility, locale, timeZone } = access.community;
    const general = { name, description, visibility, locale, timeZone };
    return { access, values: { general, ...settingsValues(reputation, moderation), origins: originsValues(origins) } };
  };
  /** The review queue page, with a refused action's messages if any. */
  const queuePage = async (
    page: PageContext,
    access: LoadedAccess,
    query: z.infer<typeof queueQuery>,
    refused?: { itemId: number; form: FormState },
  ) => {
    const queue = await listQueue(deps, access, query);
    const slug = access.community.slug;
    const more = queue.nextCursor ? `/c/${slug}/review-queue?status=${query.status}&before=${queue.nextCursor}` : null;
    return reviewQueueView(page, {
      community: access.community,
      items: queue.items,
      status: query.status,
      more,
      refused,
    });
  };
  /** The moderate-topic page; with a refused merge form, its message and the number typed. */
  const moderatePage = async (
    page: PageContext,
    { row, access }: Awaited<ReturnType<ReturnType<typeof topicHere>>>,
    merge: FormState,
  ) =>
    moderateTopicView(page, {
      community: access.community,
      topic: toPublicTopic(row, access.community),
      categories: await listCategories(deps, access.community.id),
      abilities: topicAbilities(access, row),
      error: Object.values(merge.errors)[0] ?? null,
      mergeInto: merge.values.intoTopicId ?? "",
    });
  const widgetScript = (access: LoadedAccess) => deps.config.baseUrl + widgetScriptPath(access.community.slug);

  /** A settings section's form: saved, or the page again with every form and this one's messages. */
  const settingsForm = <T>(
    section: SettingsSection,
    schema: z.ZodType<T>,
    toInput: (values: FormValues) => unknown,
    save: (access: LoadedAccess, input: T) => Promise<unknown>,
  ) =>
    defineForm(deps, {
      path: `/c/:slug/settings/${section}`,
      params: slugParams,
      load: adminSettings,
      schema,
      toInput,
      run: async ({ context: { access }, data }) => {
        await save(access, data);
        return `/c/${access.community.slug}/settings?saved=1`;
      },
      rerender: async ({ page, context: { access, values }, form }) => {
        const failed = { values: form.values, errors: { _form: page.t("form.invalid"), ...form.errors } };
        const forms = {
          general: blankForm(values.general),
          reputation: blankForm(values.reputation),
          moderation: blankForm(values.moderation),
          origins: blankForm(values.origins),
          [section]: failed,
        };
        return settingsView(page, {
          community: access.community,
          ...forms,
          widgetScript: widgetScript(access),
          saved: false,
        });
      },
    });

  return [
    definePage(deps, {
      path: "/c/:slug/review-queue",
      params: slugParams,
      query: queueQuery.catch(OPEN_QUEUE),
      auth: "required",
      load: inCommunity(deps),
      render: async ({ page, query, context: access }) => queuePage(page, access, query),
    }),

    defineForm(deps, {
      path: "/c/:slug/review-queue/:id",
      params: reviewParams,
      load: inCommunity(deps),
      schema: reviewBody,
      toInput: (v) => ({ ...v, reason: v.reason || undefined, body: v.body || undefined }),
      run: async ({ params: { slug, id }, context: access, data }) => {
        await resolveItem(deps, access, id, data);
        return `/c/${slug}/review-queue`;
      },
      // A refusal the use case explains (one's own post) shows above the waiting items, not as an error page.
      rerender: async ({ page, params: { id }, context: access, form }) =>
        queuePage(page, access, OPEN_QUEUE, { itemId: id, form }),
    }),

    definePage(deps, {
      path: "/c/:slug/audit",
      params: slugParams,
      query: beforeQuery.catch({}),
      auth: "required",
      load: inCommunity(deps),
      render: async ({ page, params: { slug }, query: { before }, context: access }) => {
        const log = await auditLog(deps, access, { before, limit: 50 });
        return auditLogView(page, {
          community: access.community,
          entries: log.entries,
          more: log.nextCursor ? `/c/${slug}/audit?before=${log.nextCursor}` : null,
        });
      },
    }),

    definePage(deps, {
      path: "/c/:slug/t/:id/moderate",
      params: topicParams,
      auth: "required",
      render: async ({ page, actor, params }) => {
        const topic = await topicHere(deps)({ params, actor });
        const abilities = topicAbilities(topic.access, topic.row);
        if (!abilities.lock && !abilities.move && !abilities.merge && !abilities.hide)
          throw refusedPage(page, "mod.onlyModerators");
        return moderatePage(page, topic, blankForm());
      },
    }),

    ...[true, false].map((locked) =>
      defineForm(deps, {
        path: `/c/:slug/t/:id/${locked ? "lock" : "unlock"}`,
        params: topicParams,
        load: topicHere(deps),
        schema: none,
        run: async ({ actor, params }) => {
          await setLocked(deps, actor, params.id, locked);
          return topicUrl(params);
        },
      }),
    ),
    defineForm(deps, {
      path: "/c/:slug/t/:id/move",
      params: topicParams,
      load: topicHere(deps),
      schema: moveBody,
      toInput: (v) => ({ categoryId: formNumberOrNull(v.categoryId) }),
      run: async ({ actor, params, data }) => {
        await moveTopic(deps, actor, params.id, data.categoryId);
        return topicUrl(params);
      },
    }),
    defineForm(deps, {
      path: "/c/:slug/t/:id/merge",
      params: topicParams,
      load: topicHere(deps),
      schema: mergeBody,
      toInput: (v) => ({ ...numberFields(["intoTopicId"])(v), confirmPublish: v.confirmPublish === "on" }),
      run: async ({ actor, params, data }) => (await mergeTopic(deps, actor, params.id, data)).url,
      // Refused (no such topic, the publishing not confirmed, a merge meanwhile): the page again, saying why.
      rerender: async ({ page, context, form }) => moderatePage(page, context, form),
      refusals: (page) => ({ conflict: { _form: page.t("mod.mergeConflict") } }),
    }),

    ...(["topic", "reply"] as const).map((type) =>
      defineForm(deps, {
        path: `/c/:slug/${type === "topic" ? "t" : "r"}/:id/history/:version/redact`,
        params: versionPageParams,
        load: async (input) => {
          await (type === "topic" ? topicHere(deps)(input) : replyHere(deps)(input));
        },
        schema: redactBody,
        run: async ({ actor, params: { slug, id, version }, data }) => {
          await redactVersion(deps, actor, { type, id, version }, data.reason);
          return `/c/${slug}/${type === "topic" ? "t" : "r"}/${id}/history`;
        },
      }),
    ),
    defineForm(deps, {
      path: "/c/:slug/posts/:type/:id/flag",
      params: postPageParams,
      load: postHere,
      schema: flagBody,
      run: async ({ page, actor, params: { slug, type, id }, data }) => {
        await flagPost(deps, actor, type, id, data);
        // Back to the page the flag was sent from (the topic), at the post, with a thank-you.
        const back = refererPath(page.req, `/c/${slug}`);
        return withDone(`${back}${type === "topic" ? "" : `#${type}-${id}`}`, "flagged");
      },
      rerender: async ({ page, params: { slug, type, id }, form }) => flagPage(page, { slug, type, id }, form),
    }),
    ...[true, false].map((hide) =>
      defineForm(deps, {
        path: `/c/:slug/posts/:type/:id/${hide ? "hide" : "restore"}`,
        params: postPageParams,
        load: postHere,
        schema: hideBody,
        run: async ({ page, actor, params: { slug, type, id }, data }) => {
          await hideOrRestore(deps, actor, type, id, hide, data.reason);
          return refererPath(page.req, `/c/${slug}`);
        },
      }),
    ),

    defineForm(deps, {
      path: "/c/:slug/u/:userId/suspend",
      params: memberParams,
      load: inCommunity(deps),
      schema: suspendBody,
      toInput: numberFields(["days"]),
      run: async ({ params, context: access, data }) => {
        await suspend(deps, access, params.userId, data);
        return profileUrl(params);
      },
    }),
    defineForm(deps, {
      path: "/c/:slug/u/:userId/unsuspend",
      params: memberParams,
      load: inCommunity(deps),
      schema: none,
      run: async ({ params, context: access }) => {
        await unsuspend(deps, access, params.userId);
        return profileUrl(params);
      },
    }),
    defineForm(deps, {
      path: "/c/:slug/u/:userId/remove",
      params: memberParams,
      load: inCommunity(deps),
      schema: none,
      run: async ({ params, context: access }) => {
        await removeMember(deps, access, params.userId, { ban: false, reason: "" });
        return `/c/${params.slug}`;
      },
    }),
    defineForm(deps, {
      path: "/c/:slug/u/:userId/ban",
      params: memberParams,
      load: inCommunity(deps),
      schema: banBody,
      run: async ({ params, context: access, data }) => {
        await removeMember(deps, access, params.userId, { ban: true, ...data });
        return `/c/${params.slug}`;
      },
    }),
    defineForm(deps, {
      path: "/c/:slug/u/:userId/warn",
      params: memberParams,
      load: inCommunity(deps),
      schema: warnBody,
      run: async ({ params, context: access, data }) => {
        await warn(deps, access, params.userId, data.reason);
        return profileUrl(params);
      },
    }),

    definePage(deps, {
      path: "/c/:slug/settings",
      params: slugParams,
      query: savedQuery,
      auth: "required",
      load: adminSettings,
      render: async ({ page, query, context: { access, values } }) =>
        settingsView(page, {
          community: access.community,
          general: blankForm(values.general),
          reputation: blankForm(values.reputation),
          moderation: blankForm(values.moderation),
          origins: blankForm(values.origins),
          widgetScript: widgetScript(access),
          saved: query.saved === "1",
        }),
    }),
    settingsForm("general", updateCommunityBody, generalInput, (access, input) => updateCommunity(deps, access, input)),
    settingsForm(
      "reputation",
      reputationSettingsPatch,
      (v) => settingsPatch(v, "reputation"),
      (access, input) => updateReputationSettings(deps, access, input),
    ),
    settingsForm(
      "moderation",
      moderationSettingsPatch,
      (v) => settingsPatch(v, "moderation"),
      (access, input) => updateModerationSettings(deps, access, input),
    ),
    settingsForm("origins", allowedOriginsBody, originsInput, (access, input) =>
      setAllowedOrigins(deps, access, input),
    ),
  ];
}
