import type { FastifyInstance } from "fastify";
import type { Deps } from "../core/deps.ts";
import { idParams, slugParams } from "../http/api.ts";
import { listCategories } from "../communities/communities.service.ts";
import type { CommunityAccess } from "../access/access.ts";
import { forbidden } from "../core/errors.ts";
import { pageContext, type PageContext } from "../web/layout.ts";
import { pathParams, requireActor, sendPage } from "../web/page.ts";
import { blankForm, submitForm, type FormState, type FormValues } from "../web/forms.ts";
import { listCourses } from "../academy/academy.service.ts";
import { decide, listApplications } from "./applications.service.ts";
import { createService, listServices } from "./catalog.service.ts";
import { staffJobQueue } from "./dispatch.service.ts";
import { flaggedReviews } from "./reviews.service.ts";
import { settingsOf, updateSettings } from "./marketplace.settings.ts";

import { decisionBody, serviceBody, settingsBody } from "./marketplace.schema.ts";
import { staffView } from "./staff.views.ts";
import { communityAccess } from "../communities/communities.access.ts";
import { can } from "../access/privileges.ts";

const itemParams = slugParams.extend({ id: idParams.shape.id });
const optionalId = (value: string | undefined) => (value ? Number(value) : null);
const optionalNumber = (value: string | undefined) => (value?.trim() ? Number(value) : undefined);

/** The staff desk of the marketplace and its forms. */
export function registerStaffPages(app: FastifyInstance, deps: Deps): void {
  async function staffAccess(page: PageContext, slug: string): Promise<CommunityAccess> {
    requireActor(page);
    const access = await communityAccess(deps, { slug: slug }, page.actor);
    if (!can(access, "market.staff")) throw forbidden(page.t("market.staff.only"));
    return access;
  }

  async function desk(
    page: PageContext,
    access: CommunityAccess,
    forms: { service?: FormState; settings?: FormState } = {},
  ) {
    const communityId = access.community.id;
    const [pending, changes, approved, suspended, jobs, flagged, services, courses, categories, settings] =
      await Promise.all([
        listApplications(deps, access, "pending"),
        listApplications(deps, access, "changes_requested"),
        listApplications(deps, access, "approved"),
        listApplications(deps, access, "suspended"),
        staffJobQueue(deps, access),
        flaggedReviews(deps, access),
        listServices(deps.db, communityId),
        listCourses(deps, access),
        listCategories(deps, communityId),
        settingsOf(deps.db, communityId),
      ]);
    return staffView(page, {
      community: access.community,
      queue: [...pending, ...changes],
      helpers: [...approved, ...suspended],
      jobs,
      flagged,
      services,
      courses: courses.courses,
      categories,
      settings,
      can: {
        services: can(access, "service.manage"),
        settings: can(access, "settings.manage"),
        payouts: can(access, "payout.export"),
      },
      serviceForm: forms.service ?? blankForm(),
      settingsForm: forms.settings ?? blankForm(),
      month: new Date(deps.clock.now()).toISOString().slice(0, 7),
    });
  }

  app.get("/c/:slug/service-friends/staff", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const access = await staffAccess(page, pathParams(slugParams, req.params).slug);
    return sendPage(page, await desk(page, access));
  });

  app.post("/c/:slug/service-friends/applications/:id/decision", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const { slug, id } = pathParams(itemParams, req.params);
    const access = await staffAccess(page, slug);
    return submitForm(page, {
      schema: decisionBody,
      run: async (input) => {
        await decide(deps, id, page.actor!, input);
        return `/c/${access.community.slug}/service-friends/staff#application-${id}`;
      },
    });
  });

  app.post("/c/:slug/service-friends/services", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const access = await staffAccess(page, pathParams(slugParams, req.params).slug);
    return submitForm(page, {
      schema: serviceBody,
      toInput: (v: FormValues) => ({
        ...v,
        maxPrice: optionalNumber(v.maxPrice),
        requiredCourseId: optionalId(v.requiredCourseId),
        categoryId: optionalId(v.categoryId),
      }),
      run: async (input) => {
        await createService(deps, access, input);
        return `/c/${access.community.slug}/service-friends/staff#catalog-title`;
      },
      rerender: async (form) => desk(page, access, { service: form }),
      refusals: { conflict: { name: page.t("market.staff.serviceExists") } },
    });
  });

  app.post("/c/:slug/service-friends/settings", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const access = await staffAccess(page, pathParams(slugParams, req.params).slug);
    return submitForm(page, {
      schema: settingsBody,
      toInput: (v: FormValues) => ({
        ...v,
        platformFeePercent: optionalNumber(v.platformFeePercent),
        freeCancelHours: optionalNumber(v.freeCancelHours),
        helperCourseId: optionalId(v.helperCourseId),
      }),
      run: async (input) => {
        await updateSettings(deps, access, input);
        return `/c/${access.community.slug}/service-friends/staff#settings-title`;
      },
      rerender: async (form) => desk(page, access, { settings: form }),
    });
  });
}
