import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { describeEachDatabase, type TestEnv, type TestUser } from "../helpers.ts";
import { loadConfig } from "../../src/core/config.ts";
import { sqliteBefore } from "../db/migration-support.ts";
import { browse } from "../web/web-helpers.ts";
import { bookingBody, createOffer, describeMarket, jobBody, market, requestBooking } from "./support.ts";

const HOUR = 3600_000;
/** The clock the other marketplace tests start from: Thursday 1 January 2026, 12:00 UTC (winter in Zurich). */
const NEW_YEAR = Date.UTC(2026, 0, 1, 12);
const DETAILS = "Nobody opened the door; I waited for an hour.";

type Market = Awaited<ReturnType<typeof market>>;

async function requestJob(env: TestEnv, m: Market) {
  const res = await env.api.post(
    `/api/v1/communities/${m.slug}/job-requests`,
    jobBody(env, m.service.id),
    m.customer.auth,
  );
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.offeredTo, 1);
  return res.body.jobRequest;
}

const jobOffers = async (env: TestEnv, helper: TestUser) =>
  (await env.api.get("/api/v1/me/job-offers", helper.auth)).body.jobOffers;

/** An accepted booking four days ahead, the clock moved an hour past its start. */
async function begunBooking(env: TestEnv, m: Market) {
  const booking = await requestBooking(env, m.offer.id, m.customer, bookingBody(env));
  assert.equal((await env.api.post(`/api/v1/bookings/${booking.id}/accept`, {}, m.helper.auth)).status, 200);
  env.clock.set(Date.parse(booking.startsAt) + HOUR);
  return booking;
}

const report = (env: TestEnv, id: number, user: TestUser, body: Record<string, unknown>) =>
  env.api.post(`/api/v1/bookings/${id}/problem`, body, user.auth);

const resolve = (env: TestEnv, problemId: number, staff: TestUser, outcome: "upheld" | "dismissed") =>
  env.api.post(`/api/v1/booking-problems/${problemId}/resolve`, { outcome, note: "Checked by phone." }, staff.auth);

describeMarket("known marketplace gaps", (env) => {
  beforeEach(() => env().clock.set(NEW_YEAR));

  test("a job is offered and booked in the currency of its request, not one staff set since", async () => {
    const m = await market(env());
    const job = await requestJob(env(), m);
    assert.equal(job.currency, "CHF");
    const changed = await env().api.patch(
      `/api/v1/communities/${m.slug}/marketplace-settings`,
      { currency: "EUR" },
      m.admin.auth,
    );
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal((await jobOffers(env(), m.helper))[0].currency, "CHF");
    const seen = await env().api.get(`/api/v1/job-requests/${job.id}`, m.helper.auth);
    assert.equal(seen.body.jobRequest.currency, "CHF");
    const mine = (await (await browse(env(), m.helper)).get(`/c/${m.slug}/service-friends/mine`)).body;
    assert.ok(mine.includes("Paid in CHF"), "the page says so");
    const taken = await env().api.post(`/api/v1/job-requests/${job.id}/accept`, {}, m.helper.auth);
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    assert.deepEqual([taken.body.booking.price, taken.body.booking.currency], [50, "CHF"]);
    const next = await env().api.post(
      `/api/v1/communities/${m.slug}/job-requests`,
      jobBody(env(), m.service.id),
      m.other.auth,
    );
    assert.equal(next.body.jobRequest.currency, "EUR", "a job requested after the change is in the new currency");
  });

  test("the job offers list has no Accept for a job outside the helper's weekly hours, and says why", async () => {
    const m = await market(env());
    const job = await requestJob(env(), m);
    const browser = await browse(env(), m.helper);
    const url = `/c/${m.slug}/service-friends/mine`;
    const accept = `action="/c/${m.slug}/job-requests/${job.id}/accept"`;
    assert.ok((await browser.get(url)).body.includes(accept), "offered while the hours cover it");
    // The helper moves their hours to the afternoon (the job is 09:00-11:00).
    const day = new Date(Date.parse(jobBody(env(), 0).startsAt)).getUTCDay();
    assert.equal((await env().api.delete(`/api/v1/offers/${m.offer.id}`, m.helper.auth)).status, 200);
    await createOffer(env(), m.slug, m.helper, m.service.id, { availability: [{ day, start: "12:00", end: "20:00" }] });

    const page = (await browser.get(url)).body;
    assert.ok(!page.includes(accept), "no Accept");
    assert.ok(page.includes("Outside your weekly hours"));
    const [offer] = await jobOffers(env(), m.helper);
    assert.deepEqual([offer.id, offer.canAccept, offer.acceptRefusal], [job.id, false, "outside_hours"]);
  });

  test("the helper's upheld no-show report: the booking is the customer's no-show, counted for staff", async () => {
    const m = await market(env());
    const booking = await begunBooking(env(), m);
    const made = await report(env(), booking.id, m.helper, { kind: "no_show", details: DETAILS });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const desk = (await (await browse(env(), m.staff)).get(`/c/${m.slug}/service-friends/staff`)).body;
    assert.ok(desk.includes("Customer’s upheld no-shows: 0"), "staff see the customer's record by the report");
    assert.equal((await resolve(env(), made.body.problem.id, m.staff, "upheld")).status, 200);

    const after = (await env().api.get(`/api/v1/bookings/${booking.id}`, m.customer.auth)).body.booking;
    assert.deepEqual([after.status, after.noShowBy, after.payment], ["no_show", "customer", null]);
    const resolved = await env().api.get(
      `/api/v1/communities/${m.slug}/booking-problems?status=resolved`,
      m.staff.auth,
    );
    assert.deepEqual(
      resolved.body.problems.map((p: any) => [p.id, p.booking.customer.id, p.booking.customer.noShows]),
      [[made.body.problem.id, m.customer.id, 1]],
    );
    const profile = await env().api.get(`/api/v1/communities/${m.slug}/helpers/${m.helper.id}`, m.staff.auth);
    assert.equal(profile.body.helper.noShows, 0, "not the helper's no-show");
  });

  test("the helper's no-show report upheld after they completed the booking keeps their payment", async () => {
    const m = await market(env());
    const booking = await begunBooking(env(), m);
    const made = await report(env(), booking.id, m.helper, { kind: "no_show", details: DETAILS });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const done = await env().api.post(`/api/v1/bookings/${booking.id}/complete`, { method: "cash" }, m.helper.auth);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal((await resolve(env(), made.body.problem.id, m.staff, "upheld")).status, 200);
    const after = (await env().api.get(`/api/v1/bookings/${booking.id}`, m.helper.auth)).body.booking;
    assert.deepEqual([after.status, after.noShowBy, after.payment.voidedAt], ["no_show", "customer", null]);
    const profile = await env().api.get(`/api/v1/communities/${m.slug}/helpers/${m.helper.id}`, m.staff.auth);
    assert.deepEqual([profile.body.helper.completedJobs, profile.body.helper.noShows], [1, 0]);
  });

  test("the customer's upheld no-show report names the helper", async () => {
    const m = await market(env());
    const booking = await begunBooking(env(), m);
    const made = await report(env(), booking.id, m.customer, { kind: "no_show", details: DETAILS });
    assert.equal((await resolve(env(), made.body.problem.id, m.staff, "upheld")).status, 200);
    const after = (await env().api.get(`/api/v1/bookings/${booking.id}`, m.customer.auth)).body.booking;
    assert.deepEqual([after.status, after.noShowBy], ["no_show", "helper"]);
    const resolved = await env().api.get(
      `/api/v1/communities/${m.slug}/booking-problems?status=resolved`,
      m.staff.auth,
    );
    assert.equal(resolved.body.problems[0].booking.customer.noShows, 0);
  });
});

const defaults = loadConfig({});

describeEachDatabase(
  "problem reports are rate limited like posts",
  (env) => {
    beforeEach(() => env().clock.set(NEW_YEAR));

    test("a member past the limit gets 429 and nothing is reported; the other party still reports", async () => {
      const m = await market(env());
      const booking = await begunBooking(env(), m);
      for (let i = 0; i < 2; i++) {
        const made = await report(env(), booking.id, m.customer, { kind: "other", details: DETAILS });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        assert.equal((await resolve(env(), made.body.problem.id, m.staff, "dismissed")).status, 200);
      }
      const refused = await report(env(), booking.id, m.customer, { kind: "other", details: DETAILS });
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, "rate_limited");
      assert.equal(typeof refused.body.error.message, "string");
      const open = await env().api.get(`/api/v1/communities/${m.slug}/booking-problems?status=open`, m.staff.auth);
      assert.deepEqual(open.body.problems, [], "nothing reported");
      assert.equal((await report(env(), booking.id, m.helper, { kind: "other", details: DETAILS })).status, 201);
    });
  },
  {
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-market-")),
    rateLimits: { ...defaults.rateLimits, post: { max: 2, windowMs: 3_600_000 } },
  },
);

test("migration 040 gives the jobs requested before it their community's currency, else CHF", async () => {
  const { db, row, migrateRest } = await sqliteBefore("040_job_offer_currency");
  row("users", { id: 7, email: "u7@example.test", handle: "u7" });
  for (const id of [1, 2]) row("communities", { id, slug: `c${id}` });
  row("marketplace_settings", { community_id: 1, currency: "EUR" });
  row("services", { id: 1, community_id: 1, name: "TV" });
  for (const id of [1, 2])
    row("job_requests", { id, community_id: id, customer_id: 7, service_id: 1, status: "open", postal_code: "8001" });
  const all = await migrateRest();
  assert.equal(all.error, undefined, String(all.error));
  const rows = await sql<{ id: number; currency: string }>`select id, currency from job_requests order by id`.execute(
    db,
  );
  assert.deepEqual(rows.rows, [
    { id: 1, currency: "EUR" },
    { id: 2, currency: "CHF" },
  ]);
  await db.destroy();
});
