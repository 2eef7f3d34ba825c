import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { AppError } from "../core/errors.ts";
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
import { itemParams, offerBody, type OfferInput } from "./marketplace.schema.ts";
import { money } from "./marketplace.web.ts";
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

/**
 * The offer form's message, in the reader's language and by the field it concerns, for a refusal of
 * the use case that names no message of its own (its texts are English, for the API): a price above the
 * service's maximum (in the reader's number format), an unknown postal code (shown by the place field).
 */
async function offerRefusal(deps: Deps, page: PageContext, access: LoadedAccess, data: OfferInput, error: unknown) {
  if (!(error instanceof AppError) || error.explanation) return error;
  const services = await listServices(deps.db, access.community.id);
  const service = services.find((s) => s.id === data.serviceId);
  const refuse = (field: string, key: string, params?: Record<string, string>) =>
    new AppError(error.code, error.message, { [field]: error.message }, { key, params });
  if (error.code === "validation_failed" && error.fields?.price && service) {
    const { currency } = await settingsOf(deps.db, access.community.id);
    const price = money(page, service.maxPriceCents / 100, currency);
    return refuse("price", "market.offer.priceAboveMax", { price });
  }
  if (error.code === "validation_failed" && error.fields?.["place.postalCode"])
    return refuse("place", "market.offer.unknownPostalCode");
  return error;
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
      myOffers(deps, access),
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
      run: async ({ page, context: access, data }) => {
        const offer = await createOffer(deps, access, data).catch(async (error: unknown) => {
          throw await offerRefusal(deps, page, access, data, error);
        });
        return `/c/${access.community.slug}/service-friends/mine#offer-${offer.id}`;
      },
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
