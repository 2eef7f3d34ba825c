import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { listCategories } from "../communities/communities.service.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { forbidden } from "../core/errors.ts";
import { html } from "../web/html.ts";
import { pageContext, type PageContext } from "../web/layout.ts";
import { localPath, pathParams, requireActor, sendPage } from "../web/page.ts";
import { blankForm, submitForm, type FormValues } from "../web/forms.ts";
import { breadcrumbs } from "../web/components.ts";
import { topicWithAccess, toPublicTopic } from "../topics/topics.service.ts";
import { topicAbilities } from "../topics/topics.policy.ts";
import { topicParams } from "../topics/topics.schema.ts";
import { reputationSettings, reputationSettingsPatch } from "../reputation/reputation.settings.ts";
import { updateReputationSettings } from "../reputation/reputation.service.ts";
import { REVIEW_ACTIONS, canReview } from "./moderation.policy.ts";
import {
  flagBody,
  hideBody,
  memberParams,
  mergeBody,
  moveBody,
  postParams,
  queueQuery,
  reviewBody,
  reviewParams,
  suspendBody,
  warnBody,
} from "./moderation.schema.ts";
import { moderationSettingsPatch } from "./moderation.settings.ts";
import { flagPost } from "./moderation.flags.ts";
import { hideOrRestore } from "./moderation.posts.ts";
import { listQueue, resolveItem } from "./moderation.queue.ts";
import { mergeTopic, moveTopic, setLocked } from "./moderation.topics.ts";
import { suspend, unsuspend, warn } from "./moderation.members.ts";
import { auditLog, readModerationSettings, updateModerationSettings } from "./moderation.service.ts";
import { moderateTopicView } from "./moderation.views.ts";
import { auditLogView, reviewQueueView } from "./moderation.queue.views.ts";
import { settingsPatch, settingsValues, settingsView } from "./moderation.settings.views.ts";
import { communityAccess } from "../communities/communities.access.ts";

const postPageParams = slugParams.extend(postParams.shape);
const beforeQuery = z.object({ before: z.coerce.number().int().positive().optional() });
const numberFields = (names: string[]) => (v: FormValues) => ({
  ...v,
  ...Object.fromEntries(names.filter((n) => v[n]).map((n) => [n, Number(v[n])])),
});
const none = z.object({});

/** The review queue, the audit log, moderator forms on topics, posts and members, and the settings page. */
export function registerModerationPages(app: FastifyInstance, deps: Deps): void {
  /** A form post by a signed-in member that runs a use case and goes back somewhere. */
  function action<T>(
    path: string,
    schema: z.ZodType<T>,
    run: (page: PageContext, params: unknown, input: T) => Promise<string>,
    toInput?: (v: FormValues) => unknown,
  ) {
    app.post(path, async (req, reply) => {
      const page = pageContext(req, reply, deps);
      requireActor(page);
      return submitForm(page, { schema, toInput, run: (input) => run(page, req.params, input) });
    });
  }

  app.get("/c/:slug/review-queue", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    requireActor(page);
    const { slug } = pathParams(slugParams, req.params);
    const query = queueQuery.catch({ status: "open", limit: 25 }).parse(req.query);
    const access = await communityAccess(deps, { slug: slug }, page.actor);
    const queue = await listQueue(deps, access, query);
    const more = queue.nextCursor ? `/c/${slug}/review-queue?status=${query.status}&before=${queue.nextCursor}` : null;
    const allowed = REVIEW_ACTIONS.filter((a) => canReview(access, a));
    return sendPage(
      page,
      reviewQueueView(page, { community: access.community, items: queue.items, allowed, status: query.status, more }),
    );
  });

  action(
    "/c/:slug/review-queue/:id",
    reviewBody,
    async (page, raw, input) => {
      const params = pathParams(reviewParams, raw);
      await resolveItem(deps, await communityAccess(deps, { slug: params.slug }, page.actor), params.id, input);
      return `/c/${params.slug}/review-queue`;
    },
    (v) => ({ ...v, reason: v.reason || undefined, body: v.body || undefined }),
  );

  app.get("/c/:slug/audit", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    requireActor(page);
    const { slug } = pathParams(slugParams, req.params);
    const { before } = beforeQuery.catch({}).parse(req.query);
    const access = await communityAccess(deps, { slug: slug }, page.actor);
    const log = await auditLog(deps, access, { before, limit: 50 });
    return sendPage(
      page,
      auditLogView(page, {
        community: access.community,
        entries: log.entries,
        more: log.nextCursor ? `/c/${slug}/audit?before=${log.nextCursor}` : null,
      }),
    );
  });

  app.get("/c/:slug/t/:id/moderate", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    requireActor(page);
    const { id } = pathParams(topicParams, req.params);
    const { row, access } = await topicWithAccess(deps, id, page.actor);
    const abilities = topicAbilities(access, row);
    if (!abilities.lock && !abilities.move && !abilities.merge && !abilities.hide)
      throw forbidden(page.t("mod.onlyModerators"));
    const topic = toPublicTopic(row, access.community);
    return sendPage(
      page,
      moderateTopicView(page, {
        community: access.community,
        topic,
        categories: await listCategories(deps, access.community.id),
        abilities,
        error: null,
      }),
    );
  });

  const topicPath = (raw: unknown) => pathParams(topicParams, raw);
  for (const locked of [true, false]) {
    action(`/c/:slug/t/:id/${locked ? "lock" : "unlock"}`, none, async (page, raw) => {
      const { slug, id } = topicPath(raw);
      await setLocked(deps, page.actor!, id, locked);
      return `/c/${slug}/t/${id}`;
    });
  }
  action(
    "/c/:slug/t/:id/move",
    moveBody,
    async (page, raw, input) => {
      const { slug, id } = topicPath(raw);
      await moveTopic(deps, page.actor!, id, input.categoryId);
      return `/c/${slug}/t/${id}`;
    },
    (v) => ({ categoryId: v.categoryId ? Number(v.categoryId) : null }),
  );
  action(
    "/c/:slug/t/:id/merge",
    mergeBody,
    async (page, raw, input) => (await mergeTopic(deps, page.actor!, topicPath(raw).id, input.intoTopicId)).url,
    numberFields(["intoTopicId"]),
  );

  action("/c/:slug/posts/:type/:id/flag", flagBody, async (page, raw, input) => {
    const { slug, type, id } = pathParams(postPageParams, raw);
    await flagPost(deps, page.actor!, type, id, input);
    return `/c/${slug}/flagged`;
  });
  for (const hide of [true, false]) {
    action(`/c/:slug/posts/:type/:id/${hide ? "hide" : "restore"}`, hideBody, async (page, raw, input) => {
      const { slug, type, id } = pathParams(postPageParams, raw);
      await hideOrRestore(deps, page.actor!, type, id, hide, input.reason);
      return localPath(
        page.req.headers.referer ? new URL(page.req.headers.referer, "http://x").pathname : null,
        `/c/${slug}`,
      );
    });
  }

  app.get("/c/:slug/flagged", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const { slug } = pathParams(slugParams, req.params);
    const access = await communityAccess(deps, { slug: slug }, page.actor);
    const content = html`${breadcrumbs(page, [{ label: page.t("home.title"), href: "/" }, { label: access.community.name, href: `/c/${slug}` }, { label: page.t("mod.flagged") }])}
<h1>${page.t("mod.flagged")}</h1><p class="notice" role="status">${page.t("mod.flaggedText")}</p><p><a href="/c/${slug}">${page.t("mod.backToCommunity")}</a></p>`;
    return sendPage(page, { title: page.t("mod.flagged"), content });
  });

  const profile = (raw: unknown) => {
    const params = pathParams(memberParams, raw);
    return { ...params, url: `/c/${params.slug}/u/${params.userId}` };
  };
  action(
    "/c/:slug/u/:userId/suspend",
    suspendBody,
    async (page, raw, input) => {
      const p = profile(raw);
      await suspend(deps, await communityAccess(deps, { slug: p.slug }, page.actor), p.userId, input);
      return p.url;
    },
    numberFields(["days"]),
  );
  action("/c/:slug/u/:userId/unsuspend", none, async (page, raw) => {
    const p = profile(raw);
    await unsuspend(deps, await communityAccess(deps, { slug: p.slug }, page.actor), p.userId);
    return p.url;
  });
  action("/c/:slug/u/:userId/warn", warnBody, async (page, raw, input) => {
    const p = profile(raw);
    await warn(deps, await communityAccess(deps, { slug: p.slug }, page.actor), p.userId, input.reason);
    return p.url;
  });

  async function settingsData(page: PageContext, slug: string) {
    const access = await communityAccess(deps, { slug: slug }, page.actor);
    if (!can(access, "community.configure")) throw forbidden(page.t("set.adminsOnly"));
    return {
      access,
      values: settingsValues(
        await reputationSettings(deps.db, access.community.id),
        await readModerationSettings(deps, access),
      ),
    };
  }

  app.get("/c/:slug/settings", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    requireActor(page);
    const { access, values } = await settingsData(page, pathParams(slugParams, req.params).slug);
    const saved = (req.query as Record<string, string>).saved === "1";
    return sendPage(
      page,
      settingsView(page, {
        community: access.community,
        reputation: blankForm(values.reputation),
        moderation: blankForm(values.moderation),
        saved,
      }),
    );
  });

  function settingsForm<T>(
    section: "reputation" | "moderation",
    schema: z.ZodType<T>,
    save: (access: CommunityAccess, input: T) => Promise<unknown>,
  ) {
    app.post(`/c/:slug/settings/${section}`, async (req, reply) => {
      const page = pageContext(req, reply, deps);
      requireActor(page);
      const { access, values } = await settingsData(page, pathParams(slugParams, req.params).slug);
      return submitForm(page, {
        schema,
        toInput: (v) => settingsPatch(v, section),
        run: async (input) => {
          await save(access, input);
          return `/c/${access.community.slug}/settings?saved=1`;
        },
        rerender: (form) => {
          const failed = { values: form.values, errors: { _form: page.t("form.invalid"), ...form.errors } };
          const forms = {
            reputation: blankForm(values.reputation),
            moderation: blankForm(values.moderation),
            [section]: failed,
          };
          return settingsView(page, { community: access.community, ...forms, saved: false });
        },
      });
    });
  }
  settingsForm("reputation", reputationSettingsPatch, (access, input) => updateReputationSettings(deps, access, input));
  settingsForm("moderation", moderationSettingsPatch, (access, input) => updateModerationSettings(deps, access, input));
}
