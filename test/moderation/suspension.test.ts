import { test } from "node:test";
import assert from "node:assert/strict";
import { privilegeRules } from "../../src/access/privileges.ts";
import { academyPrivileges } from "../../src/academy/academy.privileges.ts";
import { marketplacePrivileges } from "../../src/marketplace/marketplace.privileges.ts";
import { buildTopic, type TestEnv, type TestUser } from "../helpers.ts";
import {
  ALL_WEEK,
  applicationBody,
  bookingBody,
  describeMarket,
  market,
  requestBooking,
} from "../marketplace/support.ts";

type Response = { status: number; body: any };
/** One action a suspension stops: its privilege, who tries it, and the request. */
type Action = { privilege: string; who: "member" | "helper"; run: () => Promise<Response> };

const QUIZ = {
  title: "TV basics",
  description: "",
  passMark: 50,
  maxAttempts: 10,
  lessons: [{ title: "Cables", body: "HDMI carries the picture." }],
  questions: [
    {
      text: "Which cable carries the picture?",
      kind: "single",
      options: [{ text: "HDMI", correct: true }, { text: "Power" }],
    },
  ],
};

async function completed(env: TestEnv, offerId: number, customer: TestUser, helper: TestUser) {
  const booking = await requestBooking(env, offerId, customer, bookingBody(env, 2));
  await env.api.post(`/api/v1/bookings/${booking.id}/accept`, {}, helper.auth);
  env.clock.set(Date.parse(booking.endsAt));
  const done = await env.api.post(`/api/v1/bookings/${booking.id}/complete`, { method: "cash" }, helper.auth);
  assert.equal(done.status, 200, JSON.stringify(done.body));
  return done.body.booking;
}

describeMarket("suspension, action by action", (env) => {
  test("a suspended member or helper is refused every action a suspension stops; lifted, each is allowed", async () => {
    const { slug, admin, offer, service, customer, other, helper } = await market(env());
    const api = env().api;
    // Prepared while nobody is suspended.
    const toReview = await completed(env(), offer.id, customer, helper);
    const reviewed = await completed(env(), offer.id, customer, helper);
    const review = (
      await api.post(`/api/v1/bookings/${reviewed.id}/review`, { rating: 4, text: "Good." }, customer.auth)
    ).body.review;
    const open = await requestBooking(env(), offer.id, customer, bookingBody(env(), 3));
    const accepted = await requestBooking(env(), offer.id, other, bookingBody(env(), 4));
    assert.equal((await api.post(`/api/v1/bookings/${accepted.id}/accept`, {}, helper.auth)).status, 200);
    const toAccept = await requestBooking(env(), offer.id, other, bookingBody(env(), 5));
    const job = await api.post(
      `/api/v1/communities/${slug}/job-requests`,
      { ...bookingBody(env(), 6), serviceId: service.id, postalCode: "8001" },
      other.auth,
    );
    assert.equal(job.body.offeredTo, 1, JSON.stringify(job.body));
    const topic = await buildTopic(env(), slug, other);
    const course = (await api.post(`/api/v1/communities/${slug}/courses`, QUIZ, admin.auth)).body.course;
    const quizAnswers = {
      answers: [{ questionId: course.questions[0].id, optionIds: [course.questions[0].options[0].id] }],
    };

    const actions: Action[] = [
      {
        privilege: "booking.request",
        who: "member",
        run: () => api.post(`/api/v1/offers/${offer.id}/bookings`, bookingBody(env(), 7), customer.auth),
      },
      {
        privilege: "booking.message",
        who: "member",
        run: () => api.post(`/api/v1/bookings/${open.id}/messages`, { body: "See you then." }, customer.auth),
      },
      {
        privilege: "job.request",
        who: "member",
        run: () =>
          api.post(
            `/api/v1/communities/${slug}/job-requests`,
            { ...bookingBody(env(), 8), serviceId: service.id, postalCode: "8001" },
            customer.auth,
          ),
      },
      {
        privilege: "post.flag",
        who: "member",
        run: () => api.post(`/api/v1/posts/topic/${topic.id}/flags`, { reason: "spam" }, customer.auth),
      },
      {
        privilege: "review.flag",
        who: "member",
        run: () => api.post(`/api/v1/reviews/${review.id}/flags`, { reason: "Rude." }, customer.auth),
      },
      {
        privilege: "review.write",
        who: "member",
        run: () => api.post(`/api/v1/bookings/${toReview.id}/review`, { rating: 5, text: "Great." }, customer.auth),
      },
      {
        privilege: "helper.apply",
        who: "member",
        run: async () =>
          api.post(`/api/v1/communities/${slug}/helper-applications`, await applicationBody(), customer.auth),
      },
      {
        privilege: "course.attempt",
        who: "member",
        run: () => api.post(`/api/v1/courses/${course.id}/attempts`, quizAnswers, customer.auth),
      },
      {
        privilege: "offer.publish",
        who: "helper",
        run: () =>
          api.post(
            `/api/v1/communities/${slug}/offers`,
            { serviceId: service.id, price: 40, priceUnit: "fixed", postalCodes: ["8002"], availability: ALL_WEEK },
            helper.auth,
          ),
      },
      {
        privilege: "booking.accept",
        who: "helper",
        run: () => api.post(`/api/v1/bookings/${toAccept.id}/accept`, {}, helper.auth),
      },
      {
        privilege: "job.accept",
        who: "helper",
        run: () => api.post(`/api/v1/job-requests/${job.body.jobRequest.id}/accept`, {}, helper.auth),
      },
      {
        privilege: "review.write",
        who: "helper",
        run: () => api.post(`/api/v1/reviews/${review.id}/response`, { body: "Thank you." }, helper.auth),
      },
      {
        privilege: "booking.message",
        who: "helper",
        run: () => api.post(`/api/v1/bookings/${accepted.id}/messages`, { body: "On my way." }, helper.auth),
      },
    ];

    // Every participant's privilege of the marketplace and the academy that a suspension stops is tried.
    const stopped = Object.keys({ ...marketplacePrivileges, ...academyPrivileges }).filter((name) => {
      const rule = privilegeRules()[name as keyof ReturnType<typeof privilegeRules>];
      return rule.anyParticipant && !rule.whileSuspended;
    });
    const tried = new Set(actions.map((a) => a.privilege));
    for (const name of stopped) assert.ok(tried.has(name), `no action tries ${name}`);

    const userOf = { member: customer, helper };
    const suspension = (who: "member" | "helper") => `/api/v1/communities/${slug}/members/${userOf[who].id}/suspension`;
    for (const who of ["member", "helper"] as const) {
      const res = await api.put(suspension(who), { days: 3, reason: "Repeated spam." }, admin.auth);
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    for (const action of actions) {
      const res = await action.run();
      assert.equal(res.status, 403, `${action.who} ${action.privilege}: ${JSON.stringify(res.body)}`);
      assert.match(res.body.error.message, /suspended .* Reason: Repeated spam\./, action.privilege);
    }
    const seenBySuspended = (await api.get(`/api/v1/bookings/${accepted.id}`, helper.auth)).body.booking;
    assert.deepEqual(
      [seenBySuspended.address, seenBySuspended.phone],
      [null, null],
      "no contact for a suspended helper",
    );
    assert.equal(seenBySuspended.abilities.message, false);

    for (const who of ["member", "helper"] as const)
      assert.equal((await api.delete(suspension(who), admin.auth)).status, 200);
    for (const action of actions) {
      const res = await action.run();
      assert.ok(
        res.status === 200 || res.status === 201,
        `${action.who} ${action.privilege}: ${JSON.stringify(res.body)}`,
      );
    }
    const seen = (await api.get(`/api/v1/bookings/${accepted.id}`, helper.auth)).body.booking;
    assert.equal(seen.address, bookingBody(env()).address);
  });
});
