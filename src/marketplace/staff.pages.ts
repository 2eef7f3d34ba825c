import type { Actor, Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { listCategories } from "../communities/index.ts";
import { inCommunity, type LoadedAccess } from "../communities/index.ts";
import { refusedPage } from "../web/page.ts";
import type { PageContext } from "../web/layout.ts";
import { blankForm, type FormState, type FormValues, formNumber, formNumberOrNull } from "../web/forms.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import { listCourses } from "../academy/index.ts";
import { decide, listApplications } from "./applications.service.ts";
import { createService, listServices } from "./catalog.service.ts";
import { staffJobQueue } from "./dispatch.service.ts";
import { flaggedReviews } from "./reviews.service.ts";
import { listProblems, resolveProblem } from "./problems.service.ts";
import { settingsOf, updateSettings } from "./marketplace.settings.ts";
import { marketAbilities } from "./marketplace.policy.ts";
import { decisionBody, itemParams, resolveProblemBody, serviceBody, settingsBody } from "./marketplace.schema.ts";
import { staffView } from "./staff.views.ts";

const deskUrl = (access: LoadedAccess, anchor: string) => `/c/${access.community.slug}/service-friends/staff#${anchor}`;

/** The staff desk of the marketplace and its forms. */
export function staffPages(deps: Deps): PageRoute[] {
  /** The load step of the desk and its forms: the community, for marketplace staff only (403 for anyone else). */
  const asStaff = async (input: { params: { slug: string }; actor: Actor | null; page: PageContext }) => {
    const access = await inCommunity(deps)(input);
    if (!marketAbilities(access).staff) throw refusedPage(input.page, "market.staff.only");
    return access;
  };

  async function desk(
    page: PageContext,
    access: LoadedAccess,
    forms: { service?: FormState; settings?: FormState; problem?: { id: number; form: FormState } } = {},
  ) {
    const communityId = access.community.id;
    const [pending, changes, approved, suspended, jobs, flagged, problems, services, courses, categories, settings] =
      await Promise.all([
        listApplications(deps, access, "pending"),
        listApplications(deps, access, "changes_requested"),
        listApplications(deps, access, "approved"),
        listApplications(deps, access, "suspended"),
        staffJobQueue(deps, access),
        flaggedReviews(deps, access),
        listProblems(deps, access, "open"),
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
      problems,
      problemForm: forms.problem,
      services,
      courses: courses.courses,
      categories,
      settings,
      can: marketAbilities(access),
      serviceForm: forms.service ?? blankForm(),
      settingsForm: forms.settings ?? blankForm(),
      month: new Date(deps.clock.now()).toISOString().slice(0, 7),
    });
  }

  return [
    definePage(deps, {
      path: "/c/:slug/service-friends/staff",
      params: slugParams,
      auth: "required",
      load: asStaff,
      render: async ({ page, context: access }) => desk(page, access),
    }),

    defineForm(deps, {
      path: "/c/:slug/service-friends/applications/:id/decision",
      params: itemParams,
      load: asStaff,
      schema: decisionBody,
      run: async ({ actor, params, context: access, data }) => {
        await decide(deps, params.id, actor, data);
        return deskUrl(access, `application-${params.id}`);
      },
    }),

    defineForm(deps, {
      path: "/c/:slug/service-friends/booking-problems/:id/resolve",
      params: itemParams,
      load: asStaff,
      schema: resolveProblemBody,
      run: async ({ actor, params, context: access, data }) => {
        await resolveProblem(deps, params.id, actor, data);
        return deskUrl(access, "problems-title");
      },
      rerender: async ({ page, params, context: access, form }) =>
        desk(page, access, { problem: { id: params.id, form } }),
    }),

    defineForm(deps, {
      path: "/c/:slug/service-friends/services",
      params: slugParams,
      load: asStaff,
      schema: serviceBody,
      toInput: (v: FormValues) => ({
        ...v,
        maxPrice: formNumber(v.maxPrice),
        requiredCourseId: formNumberOrNull(v.requiredCourseId),
        categoryId: formNumberOrNull(v.categoryId),
      }),
      run: async ({ context: access, data }) => {
        await createService(deps, access, data);
        return deskUrl(access, "catalog-title");
      },
      rerender: async ({ page, context: access, form }) => desk(page, access, { service: form }),
      refusals: (page) => ({ conflict: { name: page.t("market.staff.serviceExists") } }),
    }),

    defineForm(deps, {
      path: "/c/:slug/service-friends/settings",
      params: slugParams,
      load: asStaff,
      schema: settingsBody,
      toInput: (v: FormValues) => ({
        ...v,
        platformFeePercent: formNumber(v.platformFeePercent),
        freeCancelHours: formNumber(v.freeCancelHours),
        helperCourseId: formNumberOrNull(v.helperCourseId),
      }),
      run: async ({ context: access, data }) => {
        await updateSettings(deps, access, data);
        return deskUrl(access, "settings-title");
      },
      rerender: async ({ page, context: access, form }) => desk(page, access, { settings: form }),
    }),
  ];
}
