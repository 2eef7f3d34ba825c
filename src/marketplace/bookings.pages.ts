import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { idParams, slugParams } from "../http/api.ts";
import type { CommunityAccess } from "../access/access.ts";
import { notFound } from "../core/errors.ts";
import { pageContext, type PageContext } from "../web/layout.ts";
import { pathParams, requireActor, sendPage } from "../web/page.ts";
import { blankForm, submitForm, type FormState, type FormValues } from "../web/forms.ts";
import { html } from "../web/html.ts";
import * as bookings from "./bookings.service.ts";
import { createJobRequest, jobView } from "./dispatch.service.ts";
import { createReview } from "./reviews.service.ts";
import { listServices, toPublicOffer } from "./catalog.service.ts";
import { settingsOf } from "./marketplace.settings.ts";

import { zonedTime } from "./marketplace.time.ts";
import {
  bookingBody,
  completeBody,
  jobRequestBody,
  messageBody,
  optionalReasonBody,
  reasonBody,
  reviewBody,
} from "./marketplace.schema.ts";
import { bookFormView, bookingView, jobPageView, requestFormView, type BookingForms } from "./bookings.views.ts";
import { dayName } from "./marketplace.web.ts";
import { signedInCommunityPage } from "../communities/community-page.ts";
import { communityAccess } from "../communities/communities.access.ts";
import { can } from "../access/privileges.ts";

const itemParams = slugParams.extend({ id: idParams.shape.id });

/** Date and times as typed in the community's time zone, to the API's instants; a missing one stays missing. */
function visitInput(v: FormValues, timezone: string) {
  const valid =
    /^\d{4}-\d{2}-\d{2}$/.test(v.date ?? "") && /^\d{2}:\d{2}$/.test(v.from ?? "") && /^\d{2}:\d{2}$/.test(v.to ?? "");
  const instant = (time: string) => new Date(zonedTime(v.date, time, timezone)).toISOString();
  return { ...v, startsAt: valid ? instant(v.from) : undefined, endsAt: valid ? instant(v.to) : undefined };
}

/** Where the form shows a time problem: the API names startsAt/endsAt, the form has date and to. */
const timeErrors = (form: FormState): FormState => {
  const { startsAt, endsAt, ...errors } = form.errors;
  return {
    values: form.values,
    errors: { ...errors, ...(startsAt ? { date: startsAt } : {}), ...(endsAt ? { to: endsAt } : {}) },
  };
};

/** Booking a helper's offer, dispatch requests, and the booking page with its actions. */
export function registerBookingPages(app: FastifyInstance, deps: Deps): void {
  async function offerContext(page: PageContext, slug: string, id: number) {
    const access = await communityAccess(deps, { slug: slug }, page.actor);
    const offer = await deps.db
      .selectFrom("offers")
      .innerJoin("services", "services.id", "offers.serviceId")
      .innerJoin("users", "users.id", "offers.helperId")
      .selectAll("offers")
      .select(["services.name as serviceName", "users.name as helperName"])
      .where("offers.id", "=", id)
      .where("offers.communityId", "=", access.community.id)
      .where("offers.active", "=", 1)
      .executeTakeFirst();
    if (!offer) throw notFound("Offer");
    const settings = await settingsOf(deps.db, access.community.id);
    const view = (form: FormState) => {
      const pub = toPublicOffer(offer, settings.currency, offer.serviceName);
      const slots = html`<ul class="facts">${pub.availability.map((s) => html`<li>${dayName(page, s.day)} ${s.start}–${s.end}</li>`)}</ul>`;
      return bookFormView(page, {
        community: access.community,
        offer: { ...pub, helperName: offer.helperName, slots },
        form: timeErrors(form),
        staff: can(access, "market.staff"),
      });
    };
    return { access, settings, view };
  }

  app.get("/c/:slug/offers/:id/book", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    requireActor(page);
    const { slug, id } = pathParams(itemParams, req.params);
    return sendPage(page, (await offerContext(page, slug, id)).view(blankForm()));
  });

  app.post("/c/:slug/offers/:id/book", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    const { slug, id } = pathParams(itemParams, req.params);
    const { settings, view } = await offerContext(page, slug, id);
    return submitForm(page, {
      schema: bookingBody,
      toInput: (v) => visitInput(v, settings.timezone),
      run: async (input) => (await bookings.requestBooking(deps, id, actor, input)).url,
      rerender: view,
      refusals: { conflict: { date: page.t("market.alreadyBooked") } },
    });
  });

  async function requestPage(page: PageContext, access: CommunityAccess, form: FormState) {
    return requestFormView(page, {
      community: access.community,
      services: await listServices(deps.db, access.community.id),
      form: timeErrors(form),
      staff: can(access, "market.staff"),
    });
  }

  app.get("/c/:slug/service-friends/request", async (req, reply) => {
    const { page, access } = await signedInCommunityPage(deps, req, reply);
    return sendPage(page, await requestPage(page, access, blankForm()));
  });

  app.post("/c/:slug/service-friends/request", async (req, reply) => {
    const { page, access } = await signedInCommunityPage(deps, req, reply);
    const { timezone } = await settingsOf(deps.db, access.community.id);
    return submitForm(page, {
      schema: jobRequestBody,
      toInput: (v) => ({ ...visitInput(v, timezone), serviceId: Number(v.serviceId) }),
      run: async (input) => (await createJobRequest(deps, access, input)).jobRequest.url,
      rerender: (form) => requestPage(page, access, form),
    });
  });

  app.get("/c/:slug/job-requests/:id", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    const { id } = pathParams(itemParams, req.params);
    const job = await jobView(deps, id, actor);
    const access = await communityAccess(deps, { slug: job.community }, actor);
    const { timezone } = await settingsOf(deps.db, access.community.id);
    return sendPage(
      page,
      jobPageView(page, { community: access.community, job, timezone, staff: can(access, "market.staff") }),
    );
  });

  async function bookingPage(page: PageContext, actor: Actor, id: number, forms: BookingForms = {}) {
    const data = await bookings.getBooking(deps, id, actor);
    const { timezone } = await settingsOf(deps.db, data.access.community.id);
    return bookingView(
      page,
      {
        ...data,
        timezone,
        staff: can(await communityAccess(deps, { id: data.access.community.id }, actor), "market.staff"),
      },
      forms,
    );
  }

  app.get("/c/:slug/bookings/:id", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    return sendPage(page, await bookingPage(page, actor, pathParams(itemParams, req.params).id));
  });

  /** A button or small form on the booking page: the API's use case, then back to the booking. */
  function bookingAction<T>(
    path: string,
    schema: z.ZodType<T>,
    run: (actor: Actor, id: number, input: T) => Promise<unknown>,
    toInput?: (v: FormValues) => unknown,
    rerender?: (
      page: PageContext,
      actor: Actor,
      id: number,
      form: FormState,
    ) => Promise<ReturnType<typeof bookingView>>,
  ) {
    app.post(`/c/:slug/bookings/:id/${path}`, async (req, reply) => {
      const page = pageContext(req, reply, deps);
      const actor = requireActor(page);
      const { slug, id } = pathParams(itemParams, req.params);
      return submitForm(page, {
        schema,
        toInput,
        run: async (input) => {
          await run(actor, id, input);
          return `/c/${slug}/bookings/${id}`;
        },
        ...(rerender ? { rerender: (form: FormState) => rerender(page, actor, id, form) } : {}),
      });
    });
  }
  const none = z.object({});
  bookingAction("accept", none, (actor, id) => bookings.acceptBooking(deps, id, actor));
  bookingAction("decline", optionalReasonBody, (actor, id, input) =>
    bookings.declineBooking(deps, id, actor, input.reason),
  );
  bookingAction("cancel", reasonBody, (actor, id, input) => bookings.cancelBooking(deps, id, actor, input.reason));
  bookingAction(
    "complete",
    completeBody,
    (actor, id, input) => bookings.completeBooking(deps, id, actor, input),
    (v) => ({ method: v.method, hours: v.hours ? Number(v.hours) : undefined }),
  );
  bookingAction("confirm", none, (actor, id) => bookings.confirmPayment(deps, id, actor));
  bookingAction(
    "message",
    messageBody,
    (actor, id, input) => bookings.postMessage(deps, id, actor, input.body),
    undefined,
    (page, actor, id, form) => bookingPage(page, actor, id, { message: form }),
  );
  bookingAction(
    "review",
    reviewBody,
    (actor, id, input) => createReview(deps, id, actor, input),
    (v) => ({ rating: Number(v.rating), text: v.text }),
    (page, actor, id, form) => bookingPage(page, actor, id, { review: form }),
  );
}
