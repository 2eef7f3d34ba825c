import { test } from "node:test";
import assert from "node:assert/strict";
import { buildUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { getPage } from "../web/web-helpers.ts";
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

const HOUR = 3600_000;

/**
 * A time that has begun is no longer accepted: neither a request by its helper nor a proposed time
 * by its customer (`abilities.accept` false, no button; the API's 422 on startsAt), and a dispatched
 * job whose time has begun is offered to no more helpers: its next round hands it to staff.
 */
describeMarket("times that have begun", (env) => {
  test("a request or a proposed time is not offered for acceptance once its time has begun", async () => {
    const { slug, offer, helper, customer } = await market(env());
    const request = await requestBooking(env(), offer.id, customer, bookingBody(env(), 1, "10:00", "11:00"));
    const proposed = await requestBooking(env(), offer.id, customer, bookingBody(env(), 1, "14:00", "15:00"));
    const moved = await env().api.post(
      `/api/v1/bookings/${proposed.id}/propose`,
      { startsAt: at(env(), 1, "12:00"), endsAt: at(env(), 1, "13:00") },
      helper.auth,
    );
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    env().clock.set(Date.parse(moved.body.booking.startsAt) + HOUR);

    for (const [booking, party] of [
      [request, helper],
      [proposed, customer],
    ] as const) {
      const seen = (await env().api.get(`/api/v1/bookings/${booking.id}`, party.auth)).body.booking;
      assert.deepEqual([seen.status, seen.abilities.accept], ["requested", false], "its time has begun");
      const page = await getPage(env(), `/c/${slug}/bookings/${booking.id}`, party);
      assert.ok(!page.body.includes(`/bookings/${booking.id}/accept"`), "no accept button");
      const accepted = await env().api.post(`/api/v1/bookings/${booking.id}/accept`, {}, party.auth);
      assert.equal(accepted.status, 422, JSON.stringify(accepted.body));
      assert.deepEqual(Object.keys(accepted.body.error.fields), ["startsAt"]);
    }
    const declined = await env().api.post(`/api/v1/bookings/${request.id}/decline`, {}, helper.auth);
    assert.equal(declined.status, 200, "the helper may still decline it");
  });

  test("a dispatch round after the job's time began asks no more helpers: staff take it", async () => {
    const { slug, admin, staff, service, customer } = await market(env());
    const { user: second } = await approvedHelper(env(), slug, admin, await buildUser(env(), { name: "Second" }));
    await createOffer(env(), slug, second, service.id);
    const settings = { dispatchBatch: 1, dispatchWaitMinutes: 60 };
    await env().api.patch(`/api/v1/communities/${slug}/marketplace-settings`, settings, admin.auth);
    const now = env().clock.now();
    const soon = {
      ...jobBody(env(), service.id),
      startsAt: new Date(now + HOUR / 2).toISOString(),
      endsAt: new Date(now + 2 * HOUR).toISOString(),
    };
    const created = await env().api.post(`/api/v1/communities/${slug}/job-requests`, soon, customer.auth);
    assert.equal(created.body.offeredTo, 1);
    const id = created.body.jobRequest.id;

    env().clock.advance(HOUR + 60_000);
    await drainJobs(env());
    const asked = await env()
      .deps.db.selectFrom("jobCandidates")
      .select("helperId")
      .where("jobRequestId", "=", id)
      .execute();
    assert.equal(asked.length, 1, "nobody more is asked for a job they could not take");
    assert.deepEqual((await env().api.get("/api/v1/me/job-offers", second.auth)).body.jobOffers, []);
    const job = (await env().api.get(`/api/v1/job-requests/${id}`, customer.auth)).body.jobRequest;
    assert.deepEqual([job.status, job.answerBy], ["staff", null]);
    const notes = (await env().api.get("/api/v1/notifications", staff.auth)).body.notifications;
    assert.ok(
      notes.some((n: { kind: string }) => n.kind === "market.job_unassigned"),
      "staff are told",
    );
  });
});
