import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { inCommunity, type LoadedAccess } from "../communities/index.ts";
import type { PageContext } from "../web/layout.ts";
import { blankForm, splitList, type FormState, type FormValues, formNumber } from "../web/forms.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import { findHelper } from "./applications.service.ts";
import { createOffer, listServices, myOffers, withdrawOffer } from "./catalog.service.ts";
import { myBookings } from "./bookings.service.ts";
import { acceptJob, myJobOffers } from "./dispatch.service.ts";
import { settingsOf } from "./marketplace.settings.ts";
import { marketAbilities } from "./marketplace.policy.ts";
import { itemParams, offerBody } from "./marketplace.schema.ts";
import { mineView } from "./helper.views.ts";
import { myJobRequests } from "./job-requests.service.ts";

const none = z.object({});

/** The offer form's text to the API's shape: the ticked days share one time range. */
function offerInput(v: FormValues) {
  const days = [0, 1, 2, 3, 4, 5, 6].filter((d) => v[`day${d}`]);
  return {
    serviceId: Number(v.serviceId),
    price: formNumber(v.price),
    priceUnit: v.priceUnit,
    postalCodes: splitList(v.postalCodes),
    place: v.placePostalCode ? { postalCode: v.placePostalCode.trim(), radiusKm: formNumber(v.radiusKm) } : null,
    availability: days.map((day) => ({ day, start: v.from, end: v.to })),
  };
}

/** The member's dashboard (bookings, dispatched jobs, offers) and the helper's actions on it. */
export function helperPages(deps: Deps): PageRoute[] {
  async function minePage(page: PageContext, actor: Actor, access: LoadedAccess, offerForm: FormState) {
    const communityId = access.community.id;
    const settings = await settingsOf(deps.db, communityId);
    const [bookings, jobRequests, jobOffers, services, helper, offers] = await Promise.all([
      myBookings(deps, actor, communityId),
      myJobRequests(deps, actor, communityId),
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
      jobRequests,
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
      run: async ({ context: access, data }) =>
        `/c/${access.community.slug}/service-friends/mine#offer-${(await createOffer(deps, access, data)).id}`,
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
