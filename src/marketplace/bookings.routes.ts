import type { Deps } from "../core/deps.ts";
import { defineApi, idParams, slugParams } from "../http/api.ts";
import * as bookings from "./bookings.service.ts";
import * as dispatch from "./dispatch.service.ts";
import { cancelJobRequest, myJobRequests } from "./job-requests.service.ts";
import * as reviews from "./reviews.service.ts";
import * as problems from "./problems.service.ts";
import { offerSlots } from "./slots.service.ts";
import {
  bookingBody,
  completeBody,
  jobRequestBody,
  messageBody,
  optionalReasonBody,
  problemBody,
  problemsQuery,
  proposeBody,
  reasonBody,
  resolveProblemBody,
  reviewBody,
} from "./marketplace.schema.ts";
import { communityAccess } from "../communities/index.ts";

/** Direct bookings, dispatched jobs, messages, payment and reviews. */
export function bookingRoutes(deps: Deps) {
  return [
    defineApi({
      method: "GET",
      path: "/offers/:id/slots",
      tag: "bookings",
      summary: "Free one-hour slots of an offer for the next 14 days: the helper's weekly hours minus their bookings",
      params: idParams,
      handler: async ({ actor, params }) => offerSlots(deps, params.id, actor),
    }),
    defineApi({
      method: "POST",
      path: "/offers/:id/bookings",
      tag: "bookings",
      summary: "Request a time slot of a helper's offer (direct booking)",
      auth: "required",
      params: idParams,
      body: bookingBody,
      status: 201,
      handler: async ({ actor, params, body }) => ({
        booking: await bookings.requestBooking(deps, params.id, actor, body),
      }),
    }),
    defineApi({
      method: "GET",
      path: "/bookings/:id",
      tag: "bookings",
      summary: "A booking with its messages (its customer, its helper, or staff); the address only once accepted",
      auth: "required",
      params: idParams,
      handler: async ({ actor, params }) => {
        const { booking, messages } = await bookings.getBooking(deps, params.id, actor);
        return { booking, messages };
      },
    }),
    defineApi({
      method: "POST",
      path: "/bookings/:id/accept",
      tag: "bookings",
      summary: "Accept a request (helper), or the proposed time (customer)",
      auth: "required",
      params: idParams,
      handler: async ({ actor, params }) => ({ booking: await bookings.acceptBooking(deps, params.id, actor) }),
    }),
    defineApi({
      method: "POST",
      path: "/bookings/:id/decline",
      tag: "bookings",
      summary: "Decline a request, optionally with a reason",
      auth: "required",
      params: idParams,
      body: optionalReasonBody,
      handler: async ({ actor, params, body }) => ({
        booking: await bookings.declineBooking(deps, params.id, actor, body.reason),
      }),
    }),
    defineApi({
      method: "POST",
      path: "/bookings/:id/propose",
      tag: "bookings",
      summary: "Propose another time for a request (helper)",
      auth: "required",
      params: idParams,
      body: proposeBody,
      handler: async ({ actor, params, body }) => ({
        booking: await bookings.proposeTime(deps, params.id, actor, body),
      }),
    }),
    defineApi({
      method: "POST",
      path: "/bookings/:id/cancel",
      tag: "bookings",
      summary: "Cancel with a reason (either side); late after the free-cancellation deadline",
      auth: "required",
      params: idParams,
      body: reasonBody,
      handler: async ({ actor, params, body }) => ({
        booking: await bookings.cancelBooking(deps, params.id, actor, body.reason),
      }),
    }),
    defineApi({
      method: "POST",
      path: "/bookings/:id/complete",
      tag: "bookings",
      summary: "Complete an accepted booking and record the payment (helper)",
      auth: "required",
      params: idParams,
      body: completeBody,
      handler: async ({ actor, params, body }) => ({
        booking: await bookings.completeBooking(deps, params.id, actor, body),
      }),
    }),
    defineApi({
      method: "POST",
      path: "/bookings/:id/payment/confirm",
      tag: "bookings",
      summary: "Confirm the recorded payment (customer)",
      auth: "required",
      params: idParams,
      handler: async ({ actor, params }) => ({ booking: await bookings.confirmPayment(deps, params.id, actor) }),
    }),
    defineApi({
      method: "POST",
      path: "/bookings/:id/messages",
      tag: "bookings",
      summary: "Write in the booking's private message thread",
      auth: "required",
      params: idParams,
      body: messageBody,
      status: 201,
      handler: async ({ actor, params, body }) => ({
        message: await bookings.postMessage(deps, params.id, actor, body.body),
      }),
    }),
    defineApi({
      method: "POST",
      path: "/bookings/:id/problem",
      tag: "bookings",
      summary:
        "Report a problem to staff (customer or helper): once the appointment began, or within 14 days of completion",
      auth: "required",
      params: idParams,
      body: problemBody,
      status: 201,
      handler: async ({ actor, params, body }) => ({
        problem: await problems.reportProblem(deps, params.id, actor, body),
      }),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/booking-problems",
      tag: "bookings",
      summary: "Problems reported with bookings, open (oldest first) or resolved (staff)",
      auth: "required",
      params: slugParams,
      query: problemsQuery,
      handler: async ({ actor, params, query }) => ({
        problems: await problems.listProblems(
          deps,
          await communityAccess(deps, { slug: params.slug }, actor),
          query.status,
        ),
      }),
    }),
    defineApi({
      method: "POST",
      path: "/booking-problems/:id/resolve",
      tag: "bookings",
      summary: "Uphold or dismiss a reported problem with a note to both parties (staff; audited)",
      auth: "required",
      params: idParams,
      body: resolveProblemBody,
      handler: async ({ actor, params, body }) => ({
        problem: await problems.resolveProblem(deps, params.id, actor, body),
      }),
    }),
    defineApi({
      method: "POST",
      path: "/bookings/:id/review",
      tag: "bookings",
      summary: "Review a completed booking, once (its customer): 1 to 5 stars and text",
      auth: "required",
      params: idParams,
      body: reviewBody,
      status: 201,
      handler: async ({ actor, params, body }) => ({
        review: await reviews.createReview(deps, params.id, actor, body),
      }),
    }),
    defineApi({
      method: "POST",
      path: "/reviews/:id/response",
      tag: "bookings",
      summary: "Answer a review, once (the reviewed helper)",
      auth: "required",
      params: idParams,
      body: messageBody,
      handler: async ({ actor, params, body }) => ({
        review: await reviews.respondToReview(deps, params.id, actor, body.body),
      }),
    }),
    defineApi({
      method: "POST",
      path: "/reviews/:id/flags",
      tag: "bookings",
      summary: "Flag a review for staff",
      auth: "required",
      params: idParams,
      body: reasonBody,
      status: 201,
      handler: async ({ actor, params, body }) => reviews.flagReview(deps, params.id, actor, body.reason),
    }),
    defineApi({
      method: "POST",
      path: "/communities/:slug/job-requests",
      tag: "bookings",
      summary: "Describe a job; it is dispatched to the best-suited nearby helpers",
      auth: "required",
      params: slugParams,
      body: jobRequestBody,
      status: 201,
      handler: async ({ actor, params, body }) =>
        dispatch.createJobRequest(deps, await communityAccess(deps, { slug: params.slug }, actor), body),
    }),
    defineApi({
      method: "GET",
      path: "/job-requests/:id",
      tag: "bookings",
      summary: "A dispatched job (its customer, staff, or a helper it was offered to)",
      auth: "required",
      params: idParams,
      handler: async ({ actor, params }) => ({ jobRequest: (await dispatch.jobView(deps, params.id, actor)).job }),
    }),
    defineApi({
      method: "POST",
      path: "/job-requests/:id/cancel",
      tag: "bookings",
      summary: "Call off a job nobody took yet (the member who asked); no more helpers are asked",
      auth: "required",
      params: idParams,
      handler: async ({ actor, params }) => ({ jobRequest: await cancelJobRequest(deps, params.id, actor) }),
    }),
    defineApi({
      method: "GET",
      path: "/me/job-offers",
      tag: "bookings",
      summary: "Dispatched jobs offered to me: open ones to take, and those already taken",
      auth: "required",
      handler: async ({ actor }) => ({ jobOffers: await dispatch.myJobOffers(deps, actor) }),
    }),
    defineApi({
      method: "POST",
      path: "/job-requests/:id/accept",
      tag: "bookings",
      summary: "Take a dispatched job: the first helper wins, the others get 409",
      auth: "required",
      params: idParams,
      handler: async ({ actor, params }) => ({ booking: await dispatch.acceptJob(deps, params.id, actor) }),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/job-requests/mine",
      tag: "bookings",
      summary: 'My job requests in a community ("Find me a helper"), newest first',
      auth: "required",
      params: slugParams,
      handler: async ({ actor, params }) => ({
        jobRequests: await myJobRequests(
          deps,
          actor,
          (await communityAccess(deps, { slug: params.slug }, actor)).community.id,
        ),
      }),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/bookings/mine",
      tag: "bookings",
      summary: "My bookings in a community, as customer and as helper",
      auth: "required",
      params: slugParams,
      handler: async ({ actor, params }) => ({
        bookings: await bookings.myBookings(
          deps,
          actor,
          (await communityAccess(deps, { slug: params.slug }, actor)).community.id,
        ),
      }),
    }),
  ];
}
