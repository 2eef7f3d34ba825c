import { z } from "zod";
import { slugParams } from "../http/api.js";
import { inCommunity } from "../communities/index.js";
import { blankForm, splitList } from "../web/forms.js";
import { definePage, defineForm } from "../web/page-route.js";
import { findHelper } from "./applications.service.js";
import { createOffer, listServices, myOffers, withdrawOffer } from "./catalog.service.js";
import { myBookings } from "./bookings.service.js";
import { acceptJob, myJobOffers } from "./dispatch.service.js";
import { settingsOf } from "./marketplace.settings.js";
import { marketAbilities } from "./marketplace.policy.js";
import { itemParams, offerBody } from "./marketplace.schema.js";
import { mineView } from "./helper.views.js";
const none = z.object({});
/** The offer form's text to the API's shape: the ticked days share one time range. */
function offerInput(v) {
    const days = [0, 1, 2, 3, 4, 5, 6].filter((d) => v[`day${d}`]);
    return {
        serviceId: Number(v.serviceId),
        price: v.price ? Number(v.price) : undefined,
        priceUnit: v.priceUnit,
        postalCodes: splitList(v.postalCodes),
        place: v.placePostalCode ? { postalCode: v.placePostalCode.trim(), radiusKm: Number(v.radiusKm) } : null,
        availability: days.map((day) => ({ day, start: v.from, end: v.to })),
    };
}
/** The member's dashboard (bookings, dispatched jobs, offers) and the helper's actions on it. */
export function helperPages(deps) {
    async function minePage(page, actor, access, offerForm) {
        const communityId = access.community.id;
        const settings = await settingsOf(deps.db, communityId);
        const [bookings, jobOffers, services, helper, offers] = await Promise.all([
            myBookings(deps, actor, communityId),
            myJobOffers(deps, actor),
            listServices(deps.db, communityId),
            findHelper(deps.db, communityId, actor.id),
            myOffers(deps, access, settings.currency),
        ]);
        return mineView(page, {
            community: access.community,
            timezone: settings.timezone,
            currency: settings.currency,
            bookings,
            jobOffers: jobOffers.filter((j) => j.community === access.community.slug),
            offers,
            services,
            helperStatus: helper?.status ?? null,
            offerForm,
            staff: marketAbilities(access).staff,
        });
    }
    return [
        definePage(deps, {
            path: "/c/:slug/service-friends/mine",
            params: slugParams,
            auth: "required",
            load: inCommunity(deps),
            render: async ({ page, actor, context: access }) => minePage(page, actor, access, blankForm()),
        }),
        defineForm(deps, {
            path: "/c/:slug/service-friends/offers",
            params: slugParams,
            load: inCommunity(deps),
            schema: offerBody,
            toInput: offerInput,
            run: async ({ context: access, data }) => `/c/${access.community.slug}/service-friends/mine#offer-${(await createOffer(deps, access, data)).id}`,
            rerender: async ({ page, actor, context: access, form }) => minePage(page, actor, access, form),
        }),
        defineForm(deps, {
            path: "/c/:slug/offers/:id/withdraw",
            params: itemParams,
            schema: none,
            run: async ({ actor, params: { slug, id } }) => {
                await withdrawOffer(deps, id, actor);
                return `/c/${slug}/service-friends/mine`;
            },
        }),
        defineForm(deps, {
            path: "/c/:slug/job-requests/:id/accept",
            params: itemParams,
            schema: none,
            run: async ({ actor, params: { slug, id } }) => `/c/${slug}/bookings/${(await acceptJob(deps, id, actor)).id}`,
        }),
    ];
}
