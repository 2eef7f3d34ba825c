import { test } from "node:test";
import assert from "node:assert/strict";
import { buildUser, type TestEnv } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import {
  approvedHelper,
  at,
  bookingBody,
  createOffer,
  describeMarket,
  jobBody,
  market,
  requestBooking,
} from "./support.ts";

/** A market with `count` more approved helpers offering the service in 8001. */
async function crowdedMarket(env: TestEnv, count: number) {
  const base = await market(env);
  const helpers = [base.helper];
  for (let i = 0; i < count; i++) {
    const { user } = await approvedHelper(
      env,
      base.slug,
      base.admin,
      await buildUser(env, { name: `Helper ${i + 2}` }),
    );
    await createOffer(env, base.slug, user, base.service.id);
    helpers.push(user);
  }
  return { ...base, helpers };
}

describeMarket("dispatch", (env) => {
  test("a job goes to the best helpers; the first to accept gets it, the others see it is taken", async () => {
    const { slug, service, helpers, customer, admin } = await crowdedMarket(env(), 1);
    await env().api.patch(`/api/v1/communities/${slug}/marketplace-settings`, { dispatchBatch: 2 }, admin.auth);
    const res = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      jobBody(env(), service.id),
      customer.auth,
    );
    assert.equal(res.status, 201);
    assert.equal(res.body.offeredTo, 2);
    const [first, second] = helpers;
    const offers = await env().api.get("/api/v1/me/job-offers", first.auth);
    assert.equal(offers.body.jobOffers[0].canAccept, true);
    assert.equal(
      (await env().api.get(`/api/v1/job-requests/${res.body.jobRequest.id}`, first.auth)).body.jobRequest.address,
      null,
      "no address before taking it",
    );
    const taken = await env().api.post(`/api/v1/job-requests/${res.body.jobRequest.id}/accept`, {}, first.auth);
    assert.equal(taken.status, 200);
    assert.equal(taken.body.booking.status, "accepted");
    assert.equal(taken.body.booking.address, "Bahnhofstrasse 1, 8001 Zürich");
    assert.equal(
      (await env().api.post(`/api/v1/job-requests/${res.body.jobRequest.id}/accept`, {}, second.auth)).status,
      409,
    );
    const seen = (await env().api.get("/api/v1/me/job-offers", second.auth)).body.jobOffers[0];
    assert.deepEqual([seen.taken, seen.takenByYou, seen.canAccept], [true, false, false]);
    const stranger = await buildUser(env());
    assert.equal(
      (await env().api.post(`/api/v1/job-requests/${res.body.jobRequest.id}/accept`, {}, stranger.auth)).status,
      404,
    );
    assert.equal(
      (await env().api.get(`/api/v1/job-requests/${res.body.jobRequest.id}`, customer.auth)).body.jobRequest.bookingId,
      taken.body.booking.id,
    );
  });

  test("nobody accepts: the next helpers after the wait, then staff (fake clock through the job queue)", async () => {
    const { slug, service, helpers, customer, admin, staff } = await crowdedMarket(env(), 2);
    await env().api.patch(
      `/api/v1/communities/${slug}/marketplace-settings`,
      { dispatchBatch: 2, dispatchWaitMinutes: 30 },
      admin.auth,
    );
    const { jobRequest } = (
      await env().api.post(`/api/v1/communities/${slug}/job-requests`, jobBody(env(), service.id), customer.auth)
    ).body;
    const offeredTo = async () => {
      const rows = await env()
        .deps.db.selectFrom("jobCandidates")
        .select(["helperId", "round"])
        .where("jobRequestId", "=", jobRequest.id)
        .orderBy("round")
        .orderBy("helperId")
        .execute();
      return rows.map((r) => `${r.round}:${r.helperId}`);
    };
    assert.equal((await offeredTo()).length, 2);
    env().clock.advance(29 * 60_000);
    await drainJobs(env());
    assert.equal((await offeredTo()).length, 2, "still waiting");
    env().clock.advance(2 * 60_000);
    await drainJobs(env());
    const second = await offeredTo();
    assert.equal(second.length, 3);
    assert.ok(second[2].startsWith("2:"), "round two reached the third helper");
    assert.equal(new Set(second.map((s) => s.split(":")[1])).size, 3, "nobody asked twice");
    env().clock.advance(31 * 60_000);
    await drainJobs(env());
    const job = (await env().api.get(`/api/v1/job-requests/${jobRequest.id}`, staff.auth)).body.jobRequest;
    assert.equal(job.status, "staff");
    const notes = (await env().api.get("/api/v1/notifications", staff.auth)).body.notifications.map((n: any) => n.kind);
    assert.ok(notes.includes("market.job_unassigned"));
    assert.equal(
      (await env().api.post(`/api/v1/job-requests/${jobRequest.id}/accept`, {}, helpers[0].auth)).status,
      409,
    );
  });

  test("two helpers accepting the same job at the same moment: exactly one wins", async () => {
    const { slug, service, helpers, customer } = await crowdedMarket(env(), 2);
    const { jobRequest } = (
      await env().api.post(`/api/v1/communities/${slug}/job-requests`, jobBody(env(), service.id), customer.auth)
    ).body;
    const results = await Promise.all(
      helpers.map((h) => env().api.post(`/api/v1/job-requests/${jobRequest.id}/accept`, {}, h.auth)),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409, 409]);
    const bookings = await env()
      .deps.db.selectFrom("bookings")
      .selectAll()
      .where("jobRequestId", "=", jobRequest.id)
      .execute();
    assert.equal(bookings.length, 1);
    const winner = results.find((r) => r.status === 200)!.body.booking.helper.id;
    assert.equal(bookings[0].helperId, winner);
  });

  test("one helper accepting two overlapping requests at the same moment: one is accepted", async () => {
    const { offer, customer, other, helper } = await market(env());
    const a = await requestBooking(env(), offer.id, customer, bookingBody(env(), 4, "10:00", "12:00"));
    const b = await requestBooking(env(), offer.id, other, bookingBody(env(), 4, "11:00", "13:00"));
    const results = await Promise.all(
      [a, b].map((booking) => env().api.post(`/api/v1/bookings/${booking.id}/accept`, {}, helper.auth)),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    const accepted = await env()
      .deps.db.selectFrom("bookings")
      .select("id")
      .where("id", "in", [a.id, b.id])
      .where("status", "=", "accepted")
      .execute();
    assert.equal(accepted.length, 1);
  });

  test("a dispatched job skips helpers busy at that time and the customer's own offers", async () => {
    const { slug, service, helper, customer, other, offer, admin } = await market(env());
    await approvedHelper(env(), slug, admin, customer);
    await createOffer(env(), slug, customer, service.id);
    const busy = await requestBooking(env(), offer.id, other, {
      ...bookingBody(env()),
      startsAt: at(env(), 2, "08:00"),
      endsAt: at(env(), 2, "12:00"),
    });
    await env().api.post(`/api/v1/bookings/${busy.id}/accept`, {}, helper.auth);
    const res = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      jobBody(env(), service.id),
      customer.auth,
    );
    assert.equal(res.body.offeredTo, 0);
    assert.equal(res.body.jobRequest.status, "staff");
  });
});
