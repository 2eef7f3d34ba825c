import { test } from "node:test";
import assert from "node:assert/strict";
import { TEST_PASSWORD, type TestEnv, type TestUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { getPage } from "../web/web-helpers.ts";
import {
  at,
  bookingBody,
  createOffer,
  createService,
  describeMarket,
  expireCertification,
  jobBody,
  market,
  passCourse,
  requestBooking,
  wifiCourse,
} from "./support.ts";

const HOUR = 3600_000;

const suspend = (env: TestEnv, applicationId: number, admin: TestUser) =>
  env.api.post(
    `/api/v1/helper-applications/${applicationId}/decision`,
    { decision: "suspend", reason: "Complaints." },
    admin.auth,
  );

/** A booking taken through to completion; returns it as the helper sees it. */
async function completedBooking(env: TestEnv, offerId: number, customer: TestUser, helper: TestUser, days: number) {
  const booking = await requestBooking(env, offerId, customer, bookingBody(env, days));
  assert.equal((await env.api.post(`/api/v1/bookings/${booking.id}/accept`, {}, helper.auth)).status, 200);
  env.clock.set(Date.parse(booking.endsAt));
  const done = await env.api.post(`/api/v1/bookings/${booking.id}/complete`, { method: "cash" }, helper.auth);
  assert.equal(done.status, 200, JSON.stringify(done.body));
  return done.body.booking;
}

describeMarket("marketplace standing and deadlines", (env) => {
  test("a request past its answer deadline is neither accepted nor moved, though the expiry job has not run", async () => {
    const { offer, customer, helper } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env(), 5));
    env().clock.set(Date.parse(booking.respondBy) + 1000);
    const seen = (await env().api.get(`/api/v1/bookings/${booking.id}`, helper.auth)).body.booking;
    assert.equal(seen.status, "requested", "the expiry job has not run yet");
    assert.deepEqual([seen.abilities.accept, seen.abilities.propose], [false, false]);
    const moved = await env().api.post(
      `/api/v1/bookings/${booking.id}/propose`,
      { startsAt: at(env(), 3, "14:00"), endsAt: at(env(), 3, "16:00") },
      helper.auth,
    );
    assert.equal(moved.status, 409, JSON.stringify(moved.body));
    assert.equal(moved.body.error.code, "conflict");
    const accepted = await env().api.post(`/api/v1/bookings/${booking.id}/accept`, {}, helper.auth);
    assert.equal(accepted.status, 409);
    const row = await env()
      .deps.db.selectFrom("bookings")
      .select(["status", "respondBy"])
      .where("id", "=", booking.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: "requested", respondBy: Date.parse(booking.respondBy) }, "nothing changed");
    await drainJobs(env());
    assert.equal((await env().api.get(`/api/v1/bookings/${booking.id}`, customer.auth)).body.booking.status, "expired");

    // The customer's answer to a proposed time has its deadline too.
    const other = await requestBooking(env(), offer.id, customer, bookingBody(env(), 5));
    const proposed = await env().api.post(
      `/api/v1/bookings/${other.id}/propose`,
      { startsAt: at(env(), 6, "14:00"), endsAt: at(env(), 6, "16:00") },
      helper.auth,
    );
    assert.equal(proposed.status, 200);
    env().clock.set(Date.parse(proposed.body.booking.respondBy));
    assert.equal((await env().api.post(`/api/v1/bookings/${other.id}/accept`, {}, customer.auth)).status, 409);
  });

  test("a helper suspended by staff accepts nothing, in neither direction, and no longer sees the contact", async () => {
    const { offer, customer, helper, admin, application } = await market(env());
    const pending = await requestBooking(env(), offer.id, customer, bookingBody(env(), 3));
    const moved = await requestBooking(env(), offer.id, customer, bookingBody(env(), 4));
    const earlier = await requestBooking(env(), offer.id, customer, bookingBody(env(), 5));
    assert.equal((await env().api.post(`/api/v1/bookings/${earlier.id}/accept`, {}, helper.auth)).status, 200);
    const proposal = await env().api.post(
      `/api/v1/bookings/${moved.id}/propose`,
      { startsAt: at(env(), 6, "14:00"), endsAt: at(env(), 6, "16:00") },
      helper.auth,
    );
    assert.equal(proposal.status, 200);
    const slots = async () => (await env().api.get(`/api/v1/offers/${offer.id}/slots`)).body.slots.length;
    assert.ok((await slots()) > 0);
    assert.equal((await suspend(env(), application.id, admin)).status, 200);
    assert.equal(await slots(), 0, "no free slot is offered while the helper may not be booked");

    const refused = await env().api.post(`/api/v1/bookings/${pending.id}/accept`, {}, helper.auth);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, "conflict");
    const asHelper = (await env().api.get(`/api/v1/bookings/${pending.id}`, helper.auth)).body.booking;
    assert.deepEqual([asHelper.status, asHelper.address, asHelper.phone], ["requested", null, null]);
    assert.equal(asHelper.abilities.accept, false);
    assert.equal((await env().api.post(`/api/v1/bookings/${moved.id}/accept`, {}, customer.auth)).status, 409);
    const asCustomer = (await env().api.get(`/api/v1/bookings/${moved.id}`, customer.auth)).body.booking;
    assert.deepEqual([asCustomer.status, asCustomer.abilities.accept], ["requested", false]);
    const accepted = (await env().api.get(`/api/v1/bookings/${earlier.id}`, helper.auth)).body.booking;
    assert.deepEqual([accepted.address, accepted.phone], [null, null], "no contact while suspended");
  });

  test("a suspended helper does not take a dispatched job", async () => {
    const { slug, service, customer, helper, admin, application } = await market(env());
    const res = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      jobBody(env(), service.id),
      customer.auth,
    );
    assert.equal(res.body.offeredTo, 1);
    assert.equal((await suspend(env(), application.id, admin)).status, 200);
    const taken = await env().api.post(`/api/v1/job-requests/${res.body.jobRequest.id}/accept`, {}, helper.auth);
    assert.equal(taken.status, 409, JSON.stringify(taken.body));
    assert.equal(taken.body.error.code, "conflict");
    const job = (await env().api.get(`/api/v1/job-requests/${res.body.jobRequest.id}`, customer.auth)).body.jobRequest;
    assert.deepEqual([job.status, job.bookingId], ["open", null]);
    assert.equal(
      (await env().deps.db.selectFrom("bookings").select("id").where("jobRequestId", "=", job.id).execute()).length,
      0,
    );
  });

  test("a dispatched job is not taken once its time window has begun", async () => {
    const { slug, service, customer, helper } = await market(env());
    const body = jobBody(env(), service.id);
    const res = await env().api.post(`/api/v1/communities/${slug}/job-requests`, body, customer.auth);
    assert.equal(res.body.offeredTo, 1);
    env().clock.set(Date.parse(body.startsAt) + HOUR);
    const offered = (await env().api.get("/api/v1/me/job-offers", helper.auth)).body.jobOffers[0];
    assert.equal(offered.canAccept, false);
    const taken = await env().api.post(`/api/v1/job-requests/${res.body.jobRequest.id}/accept`, {}, helper.auth);
    assert.equal(taken.status, 409, JSON.stringify(taken.body));
    const job = (await env().api.get(`/api/v1/job-requests/${res.body.jobRequest.id}`, customer.auth)).body.jobRequest;
    assert.deepEqual([job.status, job.bookingId], ["open", null]);
  });

  test("deleting an account cancels its open bookings on both sides and its job requests; it is not re-approved", async () => {
    const { slug, offer, service, customer, other, helper, admin, application } = await market(env());
    const ofCustomer = await requestBooking(env(), offer.id, customer, bookingBody(env(), 3));
    const acceptedOfCustomer = await requestBooking(env(), offer.id, customer, bookingBody(env(), 4));
    assert.equal(
      (await env().api.post(`/api/v1/bookings/${acceptedOfCustomer.id}/accept`, {}, helper.auth)).status,
      200,
    );
    const job = (
      await env().api.post(`/api/v1/communities/${slug}/job-requests`, jobBody(env(), service.id), customer.auth)
    ).body.jobRequest;
    const ofOther = await requestBooking(env(), offer.id, other, bookingBody(env(), 5));
    const acceptedOfOther = await requestBooking(env(), offer.id, other, bookingBody(env(), 6));
    assert.equal((await env().api.post(`/api/v1/bookings/${acceptedOfOther.id}/accept`, {}, helper.auth)).status, 200);

    const leave = (user: TestUser) => env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, user.auth);
    assert.equal((await leave(customer)).status, 204);
    for (const id of [ofCustomer.id, acceptedOfCustomer.id]) {
      const seen = (await env().api.get(`/api/v1/bookings/${id}`, helper.auth)).body.booking;
      assert.deepEqual(
        [seen.status, seen.cancelledBy, seen.reason, seen.customer.name, seen.abilities.accept],
        ["cancelled", customer.id, "The member deleted their account.", "Deleted member", false],
      );
    }
    assert.equal((await env().api.post(`/api/v1/bookings/${ofCustomer.id}/accept`, {}, helper.auth)).status, 409);
    const jobRow = await env()
      .deps.db.selectFrom("jobRequests")
      .select("status")
      .where("id", "=", job.id)
      .executeTakeFirstOrThrow();
    assert.equal(jobRow.status, "cancelled");
    assert.equal((await env().api.post(`/api/v1/job-requests/${job.id}/accept`, {}, helper.auth)).status, 409);

    assert.equal((await leave(helper)).status, 204);
    for (const id of [ofOther.id, acceptedOfOther.id]) {
      const seen = (await env().api.get(`/api/v1/bookings/${id}`, other.auth)).body.booking;
      assert.deepEqual([seen.status, seen.cancelledBy], ["cancelled", helper.id]);
    }
    await drainJobs(env());
    const told = (await env().api.get("/api/v1/notifications", other.auth)).body.notifications.filter(
      (n: any) => n.kind === "market.booking_cancelled",
    );
    assert.ok(told.length >= 1, "the customer hears of the cancellation");
    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", other.id).execute();
    const page = await getPage(env(), `/c/${slug}/bookings/${ofOther.id}`, other);
    assert.equal(page.status, 200);
    assert.match(page.body, /Das Mitglied hat sein Konto gelöscht\./, "the reason in the reader's language");

    const reinstated = await env().api.post(
      `/api/v1/helper-applications/${application.id}/decision`,
      { decision: "approve" },
      admin.auth,
    );
    assert.equal(reinstated.status, 409, JSON.stringify(reinstated.body));
    assert.equal(reinstated.body.error.code, "conflict");
    const helperRow = await env()
      .deps.db.selectFrom("helpers")
      .select("status")
      .where("id", "=", application.id)
      .executeTakeFirstOrThrow();
    assert.equal(helperRow.status, "suspended");
  });

  test("an offer whose required certification expired is not booked, nor a pending request accepted", async () => {
    const { slug, admin, helper, customer } = await market(env());
    const course = await wifiCourse(env(), slug, admin);
    await passCourse(env(), course, helper);
    const wifi = await createService(env(), slug, admin, { name: "Wi-Fi", requiredCourseId: course.id });
    const offer = await createOffer(env(), slug, helper, wifi.id);
    const pending = await requestBooking(env(), offer.id, customer, bookingBody(env(), 3));
    await expireCertification(env(), helper.id, course.id);
    const search = await env().api.get(`/api/v1/communities/${slug}/offers?service=${wifi.id}`);
    assert.deepEqual(search.body.offers, [], "search hides it");
    const booked = await env().api.post(`/api/v1/offers/${offer.id}/bookings`, bookingBody(env(), 4), customer.auth);
    assert.equal(booked.status, 409, JSON.stringify(booked.body));
    assert.equal(booked.body.error.code, "conflict");
    assert.equal((await env().api.post(`/api/v1/bookings/${pending.id}/accept`, {}, helper.auth)).status, 409);
    const seen = (await env().api.get(`/api/v1/bookings/${pending.id}`, helper.auth)).body.booking;
    assert.deepEqual([seen.status, seen.abilities.accept], ["requested", false]);
  });

  test("a dispatched job is not taken by a helper whose required certification expired since it was offered", async () => {
    const { slug, admin, helper, customer } = await market(env());
    const course = await wifiCourse(env(), slug, admin);
    await passCourse(env(), course, helper);
    const wifi = await createService(env(), slug, admin, { name: "Wi-Fi", requiredCourseId: course.id });
    await createOffer(env(), slug, helper, wifi.id);
    const res = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      jobBody(env(), wifi.id),
      customer.auth,
    );
    assert.equal(res.body.offeredTo, 1);
    await expireCertification(env(), helper.id, course.id);
    const taken = await env().api.post(`/api/v1/job-requests/${res.body.jobRequest.id}/accept`, {}, helper.auth);
    assert.equal(taken.status, 409, JSON.stringify(taken.body));
    assert.equal(taken.body.error.code, "conflict");
    const job = (await env().api.get(`/api/v1/job-requests/${res.body.jobRequest.id}`, customer.auth)).body.jobRequest;
    assert.deepEqual([job.status, job.bookingId], ["open", null]);
  });

  test("a payout statement totals each currency on its own line", async () => {
    const { slug, offer, customer, helper, admin, service } = await market(env());
    const inFrancs = await completedBooking(env(), offer.id, customer, helper, 4);
    const patched = await env().api.patch(
      `/api/v1/communities/${slug}/marketplace-settings`,
      { currency: "EUR" },
      admin.auth,
    );
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    // An offer keeps the currency it was published in: the helper publishes one in euros.
    const inEurosOffer = await createOffer(env(), slug, helper, service.id);
    const inEuros = await completedBooking(env(), inEurosOffer.id, customer, helper, 2);
    assert.deepEqual([inFrancs.currency, inEuros.currency], ["CHF", "EUR"]);
    // Both in the same month.
    await env()
      .deps.db.updateTable("payments")
      .set({ recordedAt: Date.parse(inFrancs.payment.recordedAt) })
      .where("bookingId", "=", inEuros.id)
      .execute();
    const month = inFrancs.payment.recordedAt.slice(0, 7);
    const res = await env().app.inject({
      method: "GET",
      url: `/api/v1/communities/${slug}/payouts?month=${month}&helper=${helper.id}`,
      headers: { authorization: `Bearer ${admin.auth.token}` },
    });
    assert.equal(res.statusCode, 200);
    const lines = res.body.trim().split("\r\n");
    assert.equal(lines.length, 5, res.body);
    assert.deepEqual(lines.slice(3), ["total,,,,,,CHF,50.00,,10.00,40.00", "total,,,,,,EUR,50.00,,10.00,40.00"]);
  });
});
