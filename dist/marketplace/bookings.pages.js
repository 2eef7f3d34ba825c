import { z } from "zod";
import { slugParams } from "../http/api.js";
import { inCommunity } from "../communities/index.js";
import { blankForm } from "../web/forms.js";
import { definePage, defineForm } from "../web/page-route.js";
import * as bookings from "./bookings.service.js";
import { createJobRequest, jobView } from "./dispatch.service.js";
import { createReview } from "./reviews.service.js";
import { bookableOffer, listServices } from "./catalog.service.js";
import { settingsOf } from "./marketplace.settings.js";
import { marketAbilities } from "./marketplace.policy.js";
import { zonedTime } from "./marketplace.time.js";
import { bookingBody, completeBody, isTimeZone, itemParams, jobRequestBody, messageBody, optionalReasonBody, reasonBody, reviewBody, } from "./marketplace.schema.js";
import { bookFormView, bookingView, jobPageView, requestFormView } from "./bookings.views.js";
const none = z.object({});
/**
 * Date and times as typed, in the time zone the form names (the community's), to the API's
 * instants; a missing or malformed one stays missing.
 */
function visitInput(v) {
    const valid = isTimeZone(v.timezone ?? "") &&
        /^\d{4}-\d{2}-\d{2}$/.test(v.date ?? "") &&
        /^\d{2}:\d{2}$/.test(v.from ?? "") &&
        /^\d{2}:\d{2}$/.test(v.to ?? "");
    const instant = (time) => new Date(zonedTime(v.date, time, v.timezone)).toISOString();
    return { ...v, startsAt: valid ? instant(v.from) : undefined, endsAt: valid ? instant(v.to) : undefined };
}
/** Where the form shows a time problem: the API names startsAt/endsAt, the form has date and to. */
const timeErrors = (form) => {
    const { startsAt, endsAt, ...errors } = form.errors;
    return {
        values: form.values,
        errors: { ...errors, ...(startsAt ? { date: startsAt } : {}), ...(endsAt ? { to: endsAt } : {}) },
    };
};
/** Booking a helper's offer, dispatch requests, and the booking page with its actions. */
export function bookingPages(deps) {
    /** The booking form's load step: the community, the offer it books (404 unless it takes bookings), the time zone. */
    const offerToBook = async (input) => {
        const access = await inCommunity(deps)(input);
        const { currency, timezone } = await settingsOf(deps.db, access.community.id);
        return { access, timezone, offer: await bookableOffer(deps, access, input.params.id, currency) };
    };
    const bookPage = (page, { access, offer, timezone }, form) => bookFormView(page, {
        community: access.community,
        offer,
        timezone,
        form: timeErrors(form),
        staff: marketAbilities(access).staff,
    });
    async function requestPage(page, access, form) {
        const [services, { timezone }] = await Promise.all([
            listServices(deps.db, access.community.id),
            settingsOf(deps.db, access.community.id),
        ]);
        return requestFormView(page, {
            community: access.community,
            services,
            timezone,
            form: timeErrors(form),
            staff: marketAbilities(access).staff,
        });
    }
    async function bookingPage(page, actor, id, forms = {}) {
        const data = await bookings.getBooking(deps, id, actor);
        const { timezone } = await settingsOf(deps.db, data.access.community.id);
        return bookingView(page, { ...data, timezone, staff: marketAbilities(data.access).staff }, forms);
    }
    /** A button or small form on the booking page: the API's use case, then back to the booking. */
    const bookingAction = (path, schema, run, { toInput, shownIn } = {}) => defineForm(deps, {
        path: `/c/:slug/bookings/:id/${path}`,
        params: itemParams,
        schema,
        toInput,
        run: async ({ actor, params: { slug, id }, data }) => {
            await run({ actor, id, data });
            return `/c/${slug}/bookings/${id}`;
        },
        rerender: shownIn && (async ({ page, actor, params, form }) => bookingPage(page, actor, params.id, shownIn(form))),
    });
    return [
        definePage(deps, {
            path: "/c/:slug/offers/:id/book",
            params: itemParams,
            auth: "required",
            load: offerToBook,
            render: async ({ page, context }) => bookPage(page, context, blankForm()),
        }),
        defineForm(deps, {
            path: "/c/:slug/offers/:id/book",
            params: itemParams,
            load: offerToBook,
            schema: bookingBody,
            toInput: visitInput,
            run: async ({ actor, params, data }) => (await bookings.requestBooking(deps, params.id, actor, data)).url,
            rerender: async ({ page, context, form }) => bookPage(page, context, form),
            refusals: (page) => ({ conflict: { date: page.t("market.alreadyBooked") } }),
        }),
        definePage(deps, {
            path: "/c/:slug/service-friends/request",
            params: slugParams,
            auth: "required",
            load: inCommunity(deps),
            render: async ({ page, context: access }) => requestPage(page, access, blankForm()),
        }),
        defineForm(deps, {
            path: "/c/:slug/service-friends/request",
            params: slugParams,
            load: inCommunity(deps),
            schema: jobRequestBody,
            toInput: (v) => ({ ...visitInput(v), serviceId: Number(v.serviceId) }),
            run: async ({ context: access, data }) => (await createJobRequest(deps, access, data)).jobRequest.url,
            rerender: async ({ page, context: access, form }) => requestPage(page, access, form),
        }),
        definePage(deps, {
            path: "/c/:slug/job-requests/:id",
            params: itemParams,
            auth: "required",
            render: async ({ page, actor, params }) => {
                const { access, job } = await jobView(deps, params.id, actor);
                const { timezone } = await settingsOf(deps.db, access.community.id);
                const staff = marketAbilities(access).staff;
                return jobPageView(page, { community: access.community, job, timezone, staff });
            },
        }),
        definePage(deps, {
            path: "/c/:slug/bookings/:id",
            params: itemParams,
            auth: "required",
            render: async ({ page, actor, params }) => bookingPage(page, actor, params.id),
        }),
        bookingAction("accept", none, ({ actor, id }) => bookings.acceptBooking(deps, id, actor)),
        bookingAction("decline", optionalReasonBody, ({ actor, id, data }) => bookings.declineBooking(deps, id, actor, data.reason)),
        bookingAction("cancel", reasonBody, ({ actor, id, data }) => bookings.cancelBooking(deps, id, actor, data.reason)),
        bookingAction("complete", completeBody, ({ actor, id, data }) => bookings.completeBooking(deps, id, actor, data), {
            toInput: (v) => ({ method: v.method, hours: v.hours ? Number(v.hours) : undefined }),
        }),
        bookingAction("confirm", none, ({ actor, id }) => bookings.confirmPayment(deps, id, actor)),
        bookingAction("message", messageBody, ({ actor, id, data }) => bookings.postMessage(deps, id, actor, data.body), {
            shownIn: (message) => ({ message }),
        }),
        bookingAction("review", reviewBody, ({ actor, id, data }) => createReview(deps, id, actor, data), {
            toInput: (v) => ({ rating: Number(v.rating), text: v.text }),
            shownIn: (review) => ({ review }),
        }),
    ];
}
