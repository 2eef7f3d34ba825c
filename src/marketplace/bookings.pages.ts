import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { inCommunity, type LoadedAccess } from "../communities/index.ts";
import type { PageContext } from "../web/layout.ts";
import { blankForm, type FormState, type FormValues, formNumber } from "../web/forms.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import * as bookings from "./bookings.service.ts";
import { createJobRequest, jobView } from "./dispatch.service.ts";
import { cancelJobRequest } from "./job-requests.service.ts";
import { createReview } from "./reviews.service.ts";
import { reportProblem } from "./problems.service.ts";
import { bookableOffer, listServices } from "./catalog.service.ts";
import { settingsOf } from "./marketplace.settings.ts";
import { slotsOf } from "./slots.service.ts";
import { marketAbilities } from "./marketplace.policy.ts";
import { isWallClock, zonedInstant } from "../lib/zoned-time.ts";
import {
  bookingBody,
  completeBody,
  isTimeZone,
  itemParams,
  jobRequestBody,
  messageBody,
  optionalReasonBody,
  problemBody,
  reasonBody,
  reviewBody,
} from "./marketplace.schema.ts";
import { bookFormView, bookingView, requestFormView, type BookingForms } from "./bookings.views.ts";
import { jobPageView } from "./dispatch.views.ts";

const none = z.object({});

/**
 * Date and times as typed, in the time zone the form names (the community's), to the API's
 * instants; a missing or malformed one stays missing.
 */
function visitInput(v: FormValues) {
  const valid =
    isTimeZone(v.timezone ?? "") && isWallClock(v.date ?? "", v.from ?? "") && isWallClock(v.date ?? "", v.to ?? "");
  const instant = (time: string) => new Date(zonedInstant(v.date, time, v.timezone)).toISOString();
  return { ...v, startsAt: valid ? instant(v.from) : undefined, endsAt: valid ? instant(v.to) : undefined };
}

/** The booking form's input: a picked slot ("start/end" instants) wins over a time typed by hand. */
function bookingInput(v: FormValues) {
  const [startsAt, endsAt] = (v.slot ?? "").split("/");
  return v.slot && endsAt ? { ...v, startsAt, endsAt } : visitInput(v);
}

/**
 * Where the form shows a time problem: the API names startsAt/endsAt, the form has date and to,
 * and the booking form a slot picker, which takes the problem unless a time was typed by hand.
 */
const timeErrors = (page: PageContext, form: FormState, picker = false): FormState => {
  const { startsAt, endsAt, ...errors } = form.errors;
  const typed = !picker || (!form.values.slot && Boolean(form.values.date));
  const problem = startsAt ?? endsAt;
  if (!typed)
    return {
      values: form.values,
      errors: problem ? { ...errors, slot: form.values.slot ? problem : page.t("market.error.pickSlot") } : errors,
    };
  return {
    values: form.values,
    errors: { ...errors, ...(startsAt ? { date: startsAt } : {}), ...(endsAt ? { to: endsAt } : {}) },
  };
};

/** Booking a helper's offer, dispatch requests, and the booking page with its actions. */
export function bookingPages(deps: Deps): PageRoute[] {
  /**
   * The booking form's load step: the community, the offer it books (404 unless it takes bookings), the time zone.
   * With `selling`, an offer whose helper may not be booked now (suspended, banned, removed, or no longer
   * certified for the service) is refused as booking refuses it (409, explained): the form's page does not
   * open; a post keeps its input and says why.
   */
  const offerToBook = async (
    input: { params: { slug: string; id: number }; actor: Actor | null },
    { selling = false } = {},
  ) => {
    const access = await inCommunity(deps)(input);
    const { timezone } = await settingsOf(deps.db, access.community.id);
    const offer = await bookableOffer(deps, access, input.params.id);
    if (selling)
      await bookings.assertBookable(deps.db, { communityId: access.community.id, ...offer }, deps.clock.now());
    return { access, timezone, offer, slots: await slotsOf(deps, offer, timezone, access.community.id) };
  };
  type OfferToBook = Awaited<ReturnType<typeof offerToBook>>;

  const bookPage = (page: PageContext, { access, offer, timezone, slots }: OfferToBook, form: FormState) =>
    bookFormView(page, {
      community: access.community,
      offer,
      timezone,
      slots,
      form: timeErrors(page, form, true),
      staff: marketAbilities(access).staff,
    });

  async function requestPage(page: PageContext, access: LoadedAccess, form: FormState) {
    const [services, { timezone }] = await Promise.all([
      listServices(deps.db, access.community.id),
      settingsOf(deps.db, access.community.id),
    ]);
    return requestFormView(page, {
      community: access.community,
      services,
      timezone,
      form: timeErrors(page, form),
      staff: marketAbilities(access).staff,
    });
  }

  async function bookingPage(page: PageContext, actor: Actor, id: number, forms: BookingForms = {}) {
    return bookingPageOf(page, await bookings.getBooking(deps, id, actor), forms);
  }

  async function bookingPageOf(
    page: PageContext,
    data: Awaited<ReturnType<typeof bookings.getBooking>>,
    forms: BookingForms = {},
  ) {
    const { timezone } = await settingsOf(deps.db, data.access.community.id);
    return bookingView(page, { ...data, timezone, staff: marketAbilities(data.access).staff }, forms);
  }

  /** A button or small form on the booking page: the API's use case, then back to the booking. */
  const bookingAction = <T>(
    path: string,
    schema: z.ZodType<T>,
    run: (input: { actor: Actor; id: number; data: T }) => Promise<unknown>,
    { toInput, shownIn }: { toInput?: (v: FormValues) => unknown; shownIn?: (form: FormState) => BookingForms } = {},
  ) =>
    defineForm(deps, {
      path: `/c/:slug/bookings/:id/${path}`,
      params: itemParams,
      schema,
      toInput,
      run: async ({ actor, params: { slug, id }, data }) => {
        await run({ actor, id, data });
        return `/c/${slug}/bookings/${id}`;
      },
      rerender:
        shownIn && (async ({ page, actor, params, form }) => bookingPage(page, actor, params.id, shownIn(form))),
    });

  return [
    definePage(deps, {
      path: "/c/:slug/offers/:id/book",
      params: itemParams,
      auth: "required",
      load: (input) => offerToBook(input, { selling: true }),
      render: async ({ page, context }) => bookPage(page, context, blankForm()),
    }),
    defineForm(deps, {
      path: "/c/:slug/offers/:id/book",
      params: itemParams,
      load: offerToBook,
      schema: bookingBody,
      toInput: bookingInput,
      run: async ({ actor, params, data }) => (await bookings.requestBooking(deps, params.id, actor, data)).url,
      rerender: async ({ page, context, form }) => bookPage(page, context, form),
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
        const own = access.community.slug;
        if (own !== params.slug) return { redirect: `/c/${own}/job-requests/${params.id}`, status: 301 };
        const { timezone } = await settingsOf(deps.db, access.community.id);
        const staff = marketAbilities(access).staff;
        return jobPageView(page, { community: access.community, job, timezone, staff });
      },
    }),

    defineForm(deps, {
      path: "/c/:slug/job-requests/:id/cancel",
      params: itemParams,
      schema: none,
      run: async ({ actor, params: { slug, id } }) => {
        await cancelJobRequest(deps, id, actor);
        return `/c/${slug}/job-requests/${id}`;
      },
    }),

    definePage(deps, {
      path: "/c/:slug/bookings/:id",
      params: itemParams,
      auth: "required",
      render: async ({ page, actor, params }) => {
        const data = await bookings.getBooking(deps, params.id, actor);
        // Under another community's address: the booking's own (where its forms lead back).
        const own = data.access.community.slug;
        if (own !== params.slug) return { redirect: `/c/${own}/bookings/${params.id}`, status: 301 };
        return bookingPageOf(page, data);
      },
    }),
    bookingAction("accept", none, ({ actor, id }) => bookings.acceptBooking(deps, id, actor)),
    bookingAction(
      "decline",
      optionalReasonBody,
      ({ actor, id, data }) => bookings.declineBooking(deps, id, actor, data.reason),
      { shownIn: (decline) => ({ decline }) },
    ),
    bookingAction("cancel", reasonBody, ({ actor, id, data }) => bookings.cancelBooking(deps, id, actor, data.reason), {
      shownIn: (cancel) => ({ cancel }),
    }),
    bookingAction("complete", completeBody, ({ actor, id, data }) => bookings.completeBooking(deps, id, actor, data), {
      toInput: (v) => ({ method: v.method, hours: formNumber(v.hours) }),
      shownIn: (complete) => ({ complete }),
    }),
    bookingAction("confirm", none, ({ actor, id }) => bookings.confirmPayment(deps, id, actor)),
    bookingAction("message", messageBody, ({ actor, id, data }) => bookings.postMessage(deps, id, actor, data.body), {
      shownIn: (message) => ({ message }),
    }),
    bookingAction("problem", problemBody, ({ actor, id, data }) => reportProblem(deps, id, actor, data), {
      shownIn: (problem) => ({ problem }),
    }),
    bookingAction("review", reviewBody, ({ actor, id, data }) => createReview(deps, id, actor, data), {
      toInput: (v) => ({ rating: formNumber(v.rating), text: v.text }),
      shownIn: (review) => ({ review }),
    }),
  ];
}
