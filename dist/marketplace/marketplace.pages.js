import multipart from "@fastify/multipart";
import { z } from "zod";
import { slugParams } from "../http/api.js";
import { validationFailed } from "../core/errors.js";
import { inCommunity } from "../communities/index.js";
import { getCourse } from "../academy/index.js";
import { registerUploadRoutes } from "../storage/storage.routes.js";
import { blankForm } from "../web/forms.js";
import { definePage, defineForm, registerPages } from "../web/page-route.js";
import { apply, myApplication } from "./applications.service.js";
import { helperProfile, searchOffers } from "./finder.service.js";
import { listServices } from "./catalog.service.js";
import { flagReview, respondToReview, reviewUrl } from "./reviews.service.js";
import { settingsOf } from "./marketplace.settings.js";
import { marketAbilities } from "./marketplace.policy.js";
import { applicationBody, helperParams, itemParams, MARKET_LIMITS, messageBody, reasonBody, searchOffersQuery, } from "./marketplace.schema.js";
import { applyView, profileView, searchView } from "./marketplace.views.js";
import { helperPages } from "./helper.pages.js";
import { bookingPages } from "./bookings.pages.js";
import { staffPages } from "./staff.pages.js";
/** The search form's one place field takes a postal code or a place name: only digits make a postal code. */
const searchQuery = z.preprocess((query) => {
    const fields = query;
    const where = typeof fields.postalCode === "string" ? fields.postalCode.trim() : "";
    return where && !/^\d+$/.test(where) ? { ...fields, postalCode: undefined, place: where } : fields;
}, searchOffersQuery);
/** The application form's `photo` value when a whole photo came with it (the file itself is not form text). */
const PHOTO_ATTACHED = "attached";
/** The application form: the API's fields, the photo's presence checked with them, its content by the use case. */
const applicationForm = applicationBody.omit({ photo: true }).extend({ photo: z.literal(PHOTO_ATTACHED) });
/**
 * Reads the application form's multipart body: the text fields become the form's values (with
 * `photo` saying whether a whole photo came), the photo is returned.
 */
async function readApplication(req) {
    const fields = {};
    let photo = Buffer.alloc(0);
    let truncated = false;
    for await (const part of req.parts()) {
        if (part.type === "file") {
            photo = await part.toBuffer();
            truncated = part.file.truncated;
        }
        else if (typeof part.value === "string") {
            if (part.value.includes("\0"))
                throw validationFailed({ [part.fieldname]: "Remove the NUL character." });
            fields[part.fieldname] = part.value;
        }
    }
    req.body = { ...fields, photo: photo.length > 0 && !truncated ? PHOTO_ATTACHED : "" };
    return { photo, truncated };
}
const photoProblem = (upload) => upload.truncated
    ? "market.photoTooLarge"
    : upload.photo.length === 0
        ? "market.photoRequired"
        : "market.photoInvalid";
async function applyPage(deps, page, access, form) {
    const settings = await settingsOf(deps.db, access.community.id);
    const course = settings.helperCourseId ? (await getCourse(deps, settings.helperCourseId, page.actor)).course : null;
    return applyView(page, {
        community: access.community,
        application: await myApplication(deps, access),
        conduct: settings.codeOfConduct,
        course: course && { url: course.url, title: course.title, passed: course.me?.certified ?? false },
        form,
        staff: marketAbilities(access).staff,
    });
}
/** Search, helper profiles, reviews and the application page; then the helper, booking and staff pages. */
export function marketplacePages(deps) {
    /** A form on a review (answer, flag): the API's use case, then back to the review on its helper's profile. */
    const reviewForm = (path, schema, run) => defineForm(deps, {
        path: `/c/:slug/reviews/:id/${path}`,
        params: itemParams,
        schema,
        run: async ({ actor, params: { id }, data }) => {
            await run({ actor, id, data });
            return reviewUrl(deps, id, actor);
        },
    });
    return [
        definePage(deps, {
            path: "/c/:slug/service-friends",
            params: slugParams,
            query: searchQuery,
            load: inCommunity(deps),
            render: async ({ page, query, context: access }) => {
                const [services, result] = await Promise.all([
                    listServices(deps.db, access.community.id),
                    searchOffers(deps, access, query),
                ]);
                const staff = marketAbilities(access).staff;
                return searchView(page, { community: access.community, services, input: query, offers: result.offers, staff });
            },
        }),
        definePage(deps, {
            path: "/c/:slug/helpers/:userId",
            params: helperParams,
            load: inCommunity(deps),
            render: async ({ page, params, context: access }) => {
                const profile = await helperProfile(deps, access, params.userId);
                return profileView(page, { community: access.community, profile, staff: marketAbilities(access).staff });
            },
        }),
        reviewForm("response", messageBody, ({ actor, id, data }) => respondToReview(deps, id, actor, data.body)),
        reviewForm("flag", reasonBody, ({ actor, id, data }) => flagReview(deps, id, actor, data.reason)),
        definePage(deps, {
            path: "/c/:slug/service-friends/apply",
            params: slugParams,
            auth: "required",
            load: inCommunity(deps),
            render: async ({ page, context: access }) => applyPage(deps, page, access, blankForm()),
        }),
        ...helperPages(deps),
        ...bookingPages(deps),
        ...staffPages(deps),
    ];
}
/**
 * The application form posts a photo. Multipart is parsed on its route alone, within the photo
 * size limit, so the form is registered in a scope of its own, with the route serving the photos.
 */
export function marketplaceUploads(deps) {
    const applicationPost = defineForm(deps, {
        path: "/c/:slug/service-friends/apply",
        params: slugParams,
        load: async (input) => ({ access: await inCommunity(deps)(input), upload: await readApplication(input.page.req) }),
        schema: applicationForm,
        toInput: (v) => ({ ...v, acceptConduct: v.acceptConduct === "1" }),
        run: async ({ context: { access, upload }, data: { photo: _attached, ...input } }) => {
            await apply(deps, access, input, upload.photo);
            return `/c/${access.community.slug}/service-friends/apply`;
        },
        rerender: async ({ page, context: { access, upload }, form }) => applyPage(deps, page, access, {
            ...form,
            errors: form.errors.photo ? { ...form.errors, photo: page.t(photoProblem(upload)) } : form.errors,
        }),
        refusals: (page) => ({
            validation_failed: { photo: page.t("market.photoInvalid") },
            conflict: { _form: page.t("market.apply.pending") },
        }),
    });
    return async (scope) => {
        await scope.register(multipart, {
            throwFileSizeLimit: false,
            limits: { fileSize: MARKET_LIMITS.photoBytes, files: 1, fields: 20, fieldSize: 10_000 },
        });
        registerUploadRoutes(scope, deps);
        registerPages(scope, [applicationPost]);
    };
}
