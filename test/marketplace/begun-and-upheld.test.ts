import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { TEST_PASSWORD, type TestEnv, type TestUser } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { bookingBody, describeMarket, market, requestBooking } from "./support.ts";

const HOUR = 3600_000;
/** The clock the other marketplace tests start from: Thursday 1 January 2026, 12:00 UTC. */
const NEW_YEAR = Date.UTC(2026, 0, 1, 12);
const DETAILS = "The box still shows error E-102; nothing was set up.";

type Market = Awaited<ReturnType<typeof market>>;

const leave = (env: TestEnv, user: TestUser) =>
  env.api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, user.auth);

const seen = async (env: TestEnv, id: number, user: TestUser) =>
  (await env.api.get(`/api/v1/bookings/${id}`, user.auth)).body.booking;

async function accepted(env: TestEnv, m: Market, customer: TestUser, body: Record<string, unknown>) {
  const booking = await requestBooking(env, m.offer.id, customer, body);
  const res = await env.api.post(`/api/v1/bookings/${booking.id}/accept`, {}, m.helper.auth);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return booking;
}

/**
 * A booking whose appointment has begun is no longer cancelled, also not on behalf of a party who
 * deletes their account: it takes its course (completed, reported, expired); later ones are cancelled.
 */
describeMarket("an account deleted while one of its bookings is under way", (env) => {
  beforeEach(() => env().clock.set(NEW_YEAR));

  test("the helper leaves: the begun bookings stay for the customer to report, later ones are cancelled", async () => {
    const m = await market(env());
    const begun = await accepted(env(), m, m.customer, bookingBody(env(), 4));
    const begunRequest = await requestBooking(env(), m.offer.id, m.other, bookingBody(env(), 4, "08:00", "09:00"));
    const later = await accepted(env(), m, m.other, bookingBody(env(), 6));
    env().clock.set(Date.parse(begun.startsAt) + HOUR);

    assert.equal((await leave(env(), m.helper)).status, 204);
    const kept = await seen(env(), begun.id, m.customer);
    assert.deepEqual([kept.status, kept.reason, kept.abilities.report], ["accepted", null, true]);
    const problem = await env().api.post(
      `/api/v1/bookings/${begun.id}/problem`,
      { kind: "no_show", details: DETAILS },
      m.customer.auth,
    );
    assert.equal(problem.status, 201, JSON.stringify(problem.body));
    assert.equal((await seen(env(), begunRequest.id, m.other)).status, "requested", "it expires as requests do");
    const cancelled = await seen(env(), later.id, m.other);
    assert.deepEqual(
      [cancelled.status, cancelled.cancelledBy, cancelled.reason],
      ["cancelled", m.helper.id, "The member deleted their account."],
    );
  });

  test("the customer leaves: the helper still completes the booking that has begun", async () => {
    const m = await market(env());
    const begun = await accepted(env(), m, m.customer, bookingBody(env(), 4));
    const later = await accepted(env(), m, m.customer, bookingBody(env(), 6));
    env().clock.set(Date.parse(begun.startsAt) + HOUR);

    assert.equal((await leave(env(), m.customer)).status, 204);
    assert.equal((await seen(env(), later.id, m.helper)).status, "cancelled");
    const done = await env().api.post(`/api/v1/bookings/${begun.id}/complete`, { method: "cash" }, m.helper.auth);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.booking.status, "completed");
  });
});

const contactOf = (env: TestEnv, id: number) =>
  env.deps.db
    .selectFrom("bookings")
    .select(["address", "phone", "description"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
const ERASED = { address: "", phone: "", description: "" };

/** The helper on the way to a booking under way still finds the address of a customer who left, until it ends. */
describeMarket("the contact details of a customer who left", (env) => {
  beforeEach(() => env().clock.set(NEW_YEAR));

  test("a booking under way keeps them until its time has passed; ended and later ones lose them at once", async () => {
    const m = await market(env());
    const past = await accepted(env(), m, m.customer, bookingBody(env(), 2));
    const body = bookingBody(env(), 4);
    const begun = await accepted(env(), m, m.customer, body);
    const later = await accepted(env(), m, m.customer, bookingBody(env(), 6));
    env().clock.set(Date.parse(begun.startsAt) + HOUR);

    assert.equal((await leave(env(), m.customer)).status, 204);
    const shown = await seen(env(), begun.id, m.helper);
    assert.deepEqual([shown.address, shown.phone], [body.address, body.phone], "the helper still finds the way");
    assert.deepEqual(await contactOf(env(), past.id), ERASED, "its time had passed");
    assert.deepEqual(await contactOf(env(), later.id), ERASED, "cancelled");
    await drainJobs(env());
    assert.equal((await contactOf(env(), begun.id)).address, body.address, "kept while under way");

    env().clock.set(Date.parse(begun.endsAt));
    await drainJobs(env());
    assert.deepEqual(await contactOf(env(), begun.id), ERASED, "gone once its time has passed");
  });

  test("a booking under way completed before its end time loses them on completion", async () => {
    const m = await market(env());
    const begun = await accepted(env(), m, m.customer, bookingBody(env(), 4));
    env().clock.set(Date.parse(begun.startsAt) + HOUR);

    assert.equal((await leave(env(), m.customer)).status, 204);
    const done = await env().api.post(`/api/v1/bookings/${begun.id}/complete`, { method: "cash" }, m.helper.auth);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.deepEqual(await contactOf(env(), begun.id), ERASED);
  });
});

/**
 * A work or payment report upheld before the helper completed the booking: nothing to void yet, so
 * the booking is cancelled with the upheld report as its reason, and never completed (nor paid) after.
 */
describeMarket("a report upheld before the booking is completed", (env) => {
  beforeEach(() => env().clock.set(NEW_YEAR));

  test("the customer's upheld work report cancels the accepted booking; the helper no longer completes it", async () => {
    const m = await market(env());
    const booking = await accepted(env(), m, m.customer, bookingBody(env(), 4));
    env().clock.set(Date.parse(booking.startsAt) + HOUR);
    const made = await env().api.post(
      `/api/v1/bookings/${booking.id}/problem`,
      { kind: "not_done", details: DETAILS },
      m.customer.auth,
    );
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const upheld = await env().api.post(
      `/api/v1/booking-problems/${made.body.problem.id}/resolve`,
      { outcome: "upheld", note: "Checked by phone." },
      m.staff.auth,
    );
    assert.equal(upheld.status, 200, JSON.stringify(upheld.body));
    assert.equal(upheld.body.problem.booking.status, "cancelled");

    const after = await seen(env(), booking.id, m.customer);
    assert.deepEqual(
      [after.status, after.cancelledBy, after.lateCancellation, after.reason, after.payment],
      ["cancelled", m.staff.id, false, "Staff upheld a problem reported with this booking.", null],
    );
    const done = await env().api.post(`/api/v1/bookings/${booking.id}/complete`, { method: "cash" }, m.helper.auth);
    assert.equal(done.status, 409, JSON.stringify(done.body));
    const profile = await env().api.get(`/api/v1/communities/${m.slug}/helpers/${m.helper.id}`, m.staff.auth);
    assert.equal(profile.body.helper.completedJobs, 0);

    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", m.customer.id).execute();
    const page = await getPage(env(), `/c/${m.slug}/bookings/${booking.id}`, m.customer);
    assert.equal(page.status, 200);
    assert.ok(page.body.includes("Das Team hat ein zu dieser Buchung gemeldetes Problem bestätigt."), "translated");
  });

  test("an upheld report of another kind still only records the outcome", async () => {
    const m = await market(env());
    const booking = await accepted(env(), m, m.customer, bookingBody(env(), 4));
    env().clock.set(Date.parse(booking.startsAt) + HOUR);
    const made = await env().api.post(
      `/api/v1/bookings/${booking.id}/problem`,
      { kind: "other", details: DETAILS },
      m.customer.auth,
    );
    const upheld = await env().api.post(
      `/api/v1/booking-problems/${made.body.problem.id}/resolve`,
      { outcome: "upheld", note: "Noted." },
      m.staff.auth,
    );
    assert.equal(upheld.status, 200, JSON.stringify(upheld.body));
    assert.equal((await seen(env(), booking.id, m.helper)).status, "accepted");
  });
});
