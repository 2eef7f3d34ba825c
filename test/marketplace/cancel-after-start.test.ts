import { test } from "node:test";
import assert from "node:assert/strict";
import type { TestEnv, TestUser } from "../helpers.ts";
import { browse } from "../web/web-helpers.ts";
import { bookingBody, describeMarket, market, requestBooking } from "./support.ts";

const HOUR = 3600_000;
const STARTED = "This booking's appointment has begun; it can no longer be cancelled.";
const STARTED_DE = "Der Termin dieser Buchung hat schon begonnen; sie kann nicht mehr storniert werden.";

const speaks = (env: TestEnv, user: TestUser, locale: string) =>
  env.deps.db.updateTable("users").set({ locale }).where("id", "=", user.id).execute();

/**
 * Once a booking's appointment has begun it is no longer cancelled: an accepted one is then
 * completed by the helper, a request nobody accepted in time expires. Cancelling stays open (late
 * after the free-cancellation deadline) until the appointment's start.
 */
describeMarket("cancelling a booking whose appointment has begun", (env) => {
  test("neither side cancels an accepted booking once it began (409, explained); just before, a late cancellation", async () => {
    const { offer, customer, helper } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env()));
    assert.equal((await env().api.post(`/api/v1/bookings/${booking.id}/accept`, {}, helper.auth)).status, 200);
    const start = Date.parse(booking.startsAt);

    env().clock.set(start);
    for (const party of [customer, helper]) {
      const seen = (await env().api.get(`/api/v1/bookings/${booking.id}`, party.auth)).body.booking;
      assert.equal(seen.abilities.cancel, false, "no cancel button once it began");
      const res = await env().api.post(
        `/api/v1/bookings/${booking.id}/cancel`,
        { reason: "Changed my mind" },
        party.auth,
      );
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal(res.body.error.code, "conflict");
      assert.equal(res.body.error.message, STARTED);
    }
    const helperView = (await env().api.get(`/api/v1/bookings/${booking.id}`, helper.auth)).body.booking;
    assert.deepEqual([helperView.status, helperView.abilities.complete], ["accepted", true], "the helper completes it");

    env().clock.set(start - 1000);
    const late = await env().api.post(
      `/api/v1/bookings/${booking.id}/cancel`,
      { reason: "Stuck in traffic" },
      helper.auth,
    );
    assert.equal(late.status, 200, JSON.stringify(late.body));
    assert.deepEqual([late.body.booking.status, late.body.booking.lateCancellation], ["cancelled", true]);
  });

  test("a request whose time has begun is not cancelled either; the helper may still decline it", async () => {
    const { offer, customer, helper } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env(), 1));
    env().clock.set(Date.parse(booking.startsAt) + HOUR);
    const seen = (await env().api.get(`/api/v1/bookings/${booking.id}`, customer.auth)).body.booking;
    assert.deepEqual([seen.status, seen.abilities.cancel], ["requested", false]);
    const res = await env().api.post(
      `/api/v1/bookings/${booking.id}/cancel`,
      { reason: "Too late now" },
      customer.auth,
    );
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.error.message, STARTED);
    const declined = await env().api.post(
      `/api/v1/bookings/${booking.id}/decline`,
      { reason: "Missed it" },
      helper.auth,
    );
    assert.equal(declined.status, 200, JSON.stringify(declined.body));
    assert.equal(declined.body.booking.status, "declined");
  });

  test("the booking page's cancel form posted after the start comes back with the reason in the reader's language", async () => {
    const { slug, offer, customer, helper } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env()));
    await env().api.post(`/api/v1/bookings/${booking.id}/accept`, {}, helper.auth);
    await speaks(env(), customer, "de");
    const browser = await browse(env(), customer);
    const url = `/c/${slug}/bookings/${booking.id}`;
    assert.match((await browser.get(url)).body, /action="[^"]*\/cancel"/, "the form is there before the start");
    env().clock.set(Date.parse(booking.startsAt) + HOUR);
    assert.doesNotMatch((await browser.get(url)).body, /action="[^"]*\/cancel"/, "and gone after it");
    const posted = await browser.submit(`${url}/cancel`, { reason: "Changed my mind" });
    assert.equal(posted.status, 409);
    assert.ok(posted.body.includes(STARTED_DE), "explained on the booking page");
    const row = await env()
      .deps.db.selectFrom("bookings")
      .select("status")
      .where("id", "=", booking.id)
      .executeTakeFirst();
    assert.equal(row?.status, "accepted", "nothing changed");
  });
});
