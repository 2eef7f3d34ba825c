import type { FastifyInstance } from "fastify";
import type { Deps } from "../core/deps.ts";
import { idParams, slugParams } from "../http/api.ts";
import type { CommunityAccess } from "../access/access.ts";
import { pageContext, type PageContext } from "../web/layout.ts";
import { pathParams, requireActor, sendPage } from "../web/page.ts";
import { blankForm, splitList, submitForm, type FormState, type FormValues } from "../web/forms.ts";
import { z } from "zod";
import { findHelper } from "./applications.service.ts";
import { createOffer, listServices, toPublicOffer, withdrawOffer } from "./catalog.service.ts";
import { myBookings } from "./bookings.service.ts";
import { acceptJob, myJobOffers } from "./dispatch.service.ts";
import { settingsOf } from "./marketplace.settings.ts";

import { offerBody } from "./marketplace.schema.ts";
import { mineView } from "./helper.views.ts";
import { signedInCommunityPage } from "../communities/community-page.ts";
import { can } from "../access/privileges.ts";

const itemParams = slugParams.extend({ id: idParams.shape.id });

/** The offer form's text to the API's shape: the ticked days share one time range. */
function offerInput(v: FormValues) {
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
export function registerHelperPages(app: FastifyInstance, deps: Deps): void {
  async function minePage(page: PageContext, access: CommunityAccess, offerForm: FormState) {
    const actor = requireActor(page);
    const communityId = access.community.id;
    const [settings, bookings, jobOffers, services, helper, offers] = await Promise.all([
      settingsOf(deps.db, communityId),
      myBookings(deps, actor, communityId),
      myJobOffers(deps, actor),
      listServices(deps.db, communityId),
      findHelper(deps.db, communityId, actor.id),
      deps.db
        .selectFrom("offers")
        .innerJoin("services", "services.id", "offers.serviceId")
        .selectAll("offers")
        .select("services.name")
        .where("offers.helperId", "=", actor.id)
        .where("offers.communityId", "=", communityId)
        .where("offers.active", "=", 1)
        .execute(),
    ]);
    return mineView(page, {
      community: access.community,
      timezone: settings.timezone,
      currency: settings.currency,
      bookings,
      jobOffers: jobOffers.filter((j) => j.community === access.community.slug),
      offers: offers.map((o) => toPublicOffer(o, settings.currency, o.name)),
      services,
      helperStatus: helper?.status ?? null,
      offerForm,
      staff: can(access, "market.staff"),
    });
  }

  app.get("/c/:slug/service-friends/mine", async (req, reply) => {
    const { page, access } = await signedInCommunityPage(deps, req, reply);
    return sendPage(page, await minePage(page, access, blankForm()));
  });

  app.post("/c/:slug/service-friends/offers", async (req, reply) => {
    const { page, access } = await signedInCommunityPage(deps, req, reply);
    return submitForm(page, {
      schema: offerBody,
      toInput: offerInput,
      run: async (input) =>
        `/c/${access.community.slug}/service-friends/mine#offer-${(await createOffer(deps, access, input)).id}`,
      rerender: (form) => minePage(page, access, form),
    });
  });

  app.post("/c/:slug/offers/:id/withdraw", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    const { slug, id } = pathParams(itemParams, req.params);
    return submitForm(page, {
      schema: z.object({}),
      run: async () => {
        await withdrawOffer(deps, id, actor);
        return `/c/${slug}/service-friends/mine`;
      },
    });
  });

  app.post("/c/:slug/job-requests/:id/accept", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    const { slug, id } = pathParams(itemParams, req.params);
    return submitForm(page, {
      schema: z.object({}),
      run: async () => `/c/${slug}/bookings/${(await acceptJob(deps, id, actor)).id}`,
    });
  });
}
