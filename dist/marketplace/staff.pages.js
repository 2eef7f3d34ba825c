import { slugParams } from "../http/api.js";
import { listCategories } from "../communities/index.js";
import { inCommunity } from "../communities/index.js";
import { forbidden } from "../core/errors.js";
import { blankForm } from "../web/forms.js";
import { definePage, defineForm } from "../web/page-route.js";
import { listCourses } from "../academy/index.js";
import { decide, listApplications } from "./applications.service.js";
import { createService, listServices } from "./catalog.service.js";
import { staffJobQueue } from "./dispatch.service.js";
import { flaggedReviews } from "./reviews.service.js";
import { settingsOf, updateSettings } from "./marketplace.settings.js";
import { marketAbilities } from "./marketplace.policy.js";
import { decisionBody, itemParams, serviceBody, settingsBody } from "./marketplace.schema.js";
import { staffView } from "./staff.views.js";
const optionalId = (value) => (value ? Number(value) : null);
const optionalNumber = (value) => (value?.trim() ? Number(value) : undefined);
const deskUrl = (access, anchor) => `/c/${access.community.slug}/service-friends/staff#${anchor}`;
/** The staff desk of the marketplace and its forms. */
export function staffPages(deps) {
    /** The load step of the desk and its forms: the community, for marketplace staff only (403 for anyone else). */
    const asStaff = async (input) => {
        const access = await inCommunity(deps)(input);
        if (!marketAbilities(access).staff)
            throw forbidden(input.page.t("market.staff.only"));
        return access;
    };
    async function desk(page, access, forms = {}) {
        const communityId = access.community.id;
        const [pending, changes, approved, suspended, jobs, flagged, services, courses, categories, settings] = await Promise.all([
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
            path: "/c/:slug/service-friends/services",
            params: slugParams,
            load: asStaff,
            schema: serviceBody,
            toInput: (v) => ({
                ...v,
                maxPrice: optionalNumber(v.maxPrice),
                requiredCourseId: optionalId(v.requiredCourseId),
                categoryId: optionalId(v.categoryId),
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
            toInput: (v) => ({
                ...v,
                platformFeePercent: optionalNumber(v.platformFeePercent),
                freeCancelHours: optionalNumber(v.freeCancelHours),
                helperCourseId: optionalId(v.helperCourseId),
            }),
            run: async ({ context: access, data }) => {
                await updateSettings(deps, access, data);
                return deskUrl(access, "settings-title");
            },
            rerender: async ({ page, context: access, form }) => desk(page, access, { settings: form }),
        }),
    ];
}
