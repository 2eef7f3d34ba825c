import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { buildUser, type TestEnv, type TestUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { browse } from "../web/web-helpers.ts";
import { ALL_WEEK, approvedHelper, createOffer, describeMarket, jobBody, market } from "./support.ts";

const OUTSIDE = "Your weekly hours do not cover the time of this job.";
const OUTSIDE_DE = "Deine Wochenzeiten decken die Zeit dieses Auftrags nicht ab.";
/** The clock the other marketplace tests start from: Thursday 1 January 2026, 12:00 UTC (winter in Zurich). */
const NEW_YEAR = Date.UTC(2026, 0, 1, 12);

/** The weekday (0 = Sunday) of the job jobBody asks for: Zurich 09:00 is 08:00 UTC, the same day. */
const jobDay = (env: TestEnv) => new Date(Date.parse(jobBody(env, 0).startsAt)).getUTCDay();

/** The helper's offers of the market withdrawn, and one in 8001 published with these weekly hours. */
async function replaceHours(
  env: TestEnv,
  slug: string,
  helper: TestUser,
  offerId: number,
  serviceId: number,
  hours: unknown,
) {
  assert.equal((await env.api.delete(`/api/v1/offers/${offerId}`, helper.auth)).status, 200);
  return createOffer(env, slug, helper, serviceId, { availability: hours });
}

async function askedFor(env: TestEnv, jobRequestId: number) {
  const rows = await env.deps.db
    .selectFrom("jobCandidates")
    .select("helperId")
    .where("jobRequestId", "=", jobRequestId)
    .orderBy("helperId")
    .execute();
  return rows.map((r) => r.helperId);
}

/**
 * Dispatch asks only helpers whose weekly hours (in the community's time zone, DST-correct) cover
 * the whole job, as booking a time does; with nobody's covering it, the job goes to staff. Taking a
 * job whose time the helper's hours no longer cover (changed since they were asked) is refused
 * (409, explained in the helper's language) and the job stays open.
 */
describeMarket("dispatch and the helpers' weekly hours", (env) => {
  beforeEach(() => env().clock.set(NEW_YEAR));

  test("a helper whose hours cover only part of the job is not asked; the next helper is", async () => {
    const { slug, service, helper, customer, admin, offer } = await market(env());
    // The job is 09:00-11:00; these hours start at 10:00 that day.
    await replaceHours(env(), slug, helper, offer.id, service.id, [
      { day: jobDay(env()), start: "10:00", end: "20:00" },
    ]);
    const { user: next } = await approvedHelper(env(), slug, admin, await buildUser(env(), { name: "Nina Next" }));
    await createOffer(env(), slug, next, service.id);
    const res = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      jobBody(env(), service.id),
      customer.auth,
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.offeredTo, 1);
    assert.deepEqual(await askedFor(env(), res.body.jobRequest.id), [next.id]);
  });

  test("when nobody's hours cover the job, it goes to staff as when nobody is free", async () => {
    const { slug, service, helper, customer, offer, staff } = await market(env());
    const otherDay = (jobDay(env()) + 1) % 7;
    await replaceHours(env(), slug, helper, offer.id, service.id, [{ day: otherDay, start: "08:00", end: "20:00" }]);
    const res = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      jobBody(env(), service.id),
      customer.auth,
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.offeredTo, 0);
    assert.equal(res.body.jobRequest.status, "staff");
    assert.deepEqual(await askedFor(env(), res.body.jobRequest.id), []);
    await drainJobs(env());
    const notes = (await env().api.get("/api/v1/notifications", staff.auth)).body.notifications.map((n: any) => n.kind);
    assert.ok(notes.includes("market.job_unassigned"));
  });

  test("the hours are read in the community's time zone after the clocks go forward", async () => {
    // Friday 27 March 2026; Zurich moves to summer time (UTC+2) on Sunday the 29th.
    env().clock.set(Date.UTC(2026, 2, 27, 12));
    const { slug, service, helper, customer, admin, offer } = await market(env());
    // Monday 30 March, 09:00-11:00 in Zurich: 07:00-09:00 UTC.
    const monday = 1;
    // Covers the job only if its time were read in UTC.
    await replaceHours(env(), slug, helper, offer.id, service.id, [{ day: monday, start: "07:00", end: "10:00" }]);
    const { user: summer } = await approvedHelper(env(), slug, admin, await buildUser(env(), { name: "Sam Summer" }));
    await createOffer(env(), slug, summer, service.id, {
      availability: [{ day: monday, start: "09:00", end: "11:00" }],
    });
    const body = {
      ...jobBody(env(), service.id),
      startsAt: "2026-03-30T09:00:00+02:00",
      endsAt: "2026-03-30T11:00:00+02:00",
    };
    const res = await env().api.post(`/api/v1/communities/${slug}/job-requests`, body, customer.auth);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(await askedFor(env(), res.body.jobRequest.id), [summer.id], "only the hours 09:00-11:00 cover it");
  });

  test("the job is booked on the helper's offer whose hours cover it, not a cheaper one at other hours", async () => {
    const { slug, service, helper, customer, offer } = await market(env());
    await replaceHours(env(), slug, helper, offer.id, service.id, [
      { day: jobDay(env()), start: "12:00", end: "20:00" },
    ]);
    const covering = await createOffer(env(), slug, helper, service.id, { price: 60, availability: ALL_WEEK });
    const res = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      jobBody(env(), service.id),
      customer.auth,
    );
    assert.equal(res.body.offeredTo, 1);
    const taken = await env().api.post(`/api/v1/job-requests/${res.body.jobRequest.id}/accept`, {}, helper.auth);
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    assert.equal(taken.body.booking.price, 60);
    const row = await env()
      .deps.db.selectFrom("bookings")
      .select("offerId")
      .where("id", "=", taken.body.booking.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.offerId, covering.id);
  });

  test("hours changed after the job was offered: taking it is refused (409) and it stays open", async () => {
    const { slug, service, helper, customer, offer } = await market(env());
    const res = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      jobBody(env(), service.id),
      customer.auth,
    );
    assert.equal(res.body.offeredTo, 1);
    await replaceHours(env(), slug, helper, offer.id, service.id, [
      { day: jobDay(env()), start: "12:00", end: "20:00" },
    ]);
    const taken = await env().api.post(`/api/v1/job-requests/${res.body.jobRequest.id}/accept`, {}, helper.auth);
    assert.equal(taken.status, 409, JSON.stringify(taken.body));
    assert.equal(taken.body.error.code, "conflict");
    assert.equal(taken.body.error.message, OUTSIDE);
    const job = (await env().api.get(`/api/v1/job-requests/${res.body.jobRequest.id}`, customer.auth)).body.jobRequest;
    assert.deepEqual([job.status, job.bookingId], ["open", null]);
    const booked = await env().deps.db.selectFrom("bookings").select("id").where("jobRequestId", "=", job.id).execute();
    assert.equal(booked.length, 0);
  });

  test("the page's take-this-job form explains the refusal in the helper's language", async () => {
    const { slug, service, helper, customer, offer } = await market(env());
    const res = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      jobBody(env(), service.id),
      customer.auth,
    );
    await replaceHours(env(), slug, helper, offer.id, service.id, [
      { day: jobDay(env()), start: "12:00", end: "20:00" },
    ]);
    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", helper.id).execute();
    const browser = await browse(env(), helper);
    const posted = await browser.submit(`/c/${slug}/job-requests/${res.body.jobRequest.id}/accept`);
    assert.equal(posted.status, 409);
    assert.ok(posted.body.includes(OUTSIDE_DE), "explained in German");
  });
});
