import { test } from "node:test";
import assert from "node:assert/strict";
import { browse } from "../web/web-helpers.ts";
import { MARKET_LIMITS } from "../../src/marketplace/marketplace.schema.ts";
import { at, bookingBody, describeMarket, jobBody, market, requestBooking } from "./support.ts";

const TOO_FAR = `Choose a time at most ${MARKET_LIMITS.bookAheadDays} days ahead.`;

/**
 * A booking, a proposed time or a dispatched job is for at most `MARKET_LIMITS.bookAheadDays` (a
 * year) ahead: a time in year 9999 is refused (422) on `startsAt`, in the API and on the forms.
 */
describeMarket("how far ahead a visit may be booked", (env) => {
  const year9999 = { startsAt: "9999-12-06T10:00:00+01:00", endsAt: "9999-12-06T12:00:00+01:00" };

  test("a booking request, a proposed time and a job request in year 9999 are refused on startsAt", async () => {
    const { slug, offer, service, customer, helper } = await market(env());
    const booked = await env().api.post(
      `/api/v1/offers/${offer.id}/bookings`,
      { ...bookingBody(env()), ...year9999 },
      customer.auth,
    );
    assert.equal(booked.status, 422, JSON.stringify(booked.body));
    assert.equal(booked.body.error.code, "validation_failed");
    assert.equal(booked.body.error.fields.startsAt, TOO_FAR);

    const pending = await requestBooking(env(), offer.id, customer, bookingBody(env()));
    const moved = await env().api.post(`/api/v1/bookings/${pending.id}/propose`, year9999, helper.auth);
    assert.equal(moved.status, 422, JSON.stringify(moved.body));
    assert.equal(moved.body.error.fields.startsAt, TOO_FAR);

    const job = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      { ...jobBody(env(), service.id), ...year9999 },
      customer.auth,
    );
    assert.equal(job.status, 422, JSON.stringify(job.body));
    assert.equal(job.body.error.fields.startsAt, TOO_FAR);
    const rows = await env().deps.db.selectFrom("bookings").select("startsAt").execute();
    assert.ok(
      rows.every((r) => r.startsAt < Date.parse("2100-01-01")),
      "nothing stored in year 9999",
    );
  });

  test("the last day of the horizon is taken, the day after it refused", async () => {
    const { offer, customer } = await market(env());
    const days = MARKET_LIMITS.bookAheadDays;
    const last = await env().api.post(
      `/api/v1/offers/${offer.id}/bookings`,
      { ...bookingBody(env()), startsAt: at(env(), days - 1, "10:00"), endsAt: at(env(), days - 1, "12:00") },
      customer.auth,
    );
    assert.equal(last.status, 201, JSON.stringify(last.body));
    const after = await env().api.post(
      `/api/v1/offers/${offer.id}/bookings`,
      { ...bookingBody(env()), startsAt: at(env(), days + 1, "10:00"), endsAt: at(env(), days + 1, "12:00") },
      customer.auth,
    );
    assert.equal(after.status, 422, JSON.stringify(after.body));
    assert.equal(after.body.error.fields.startsAt, TOO_FAR);
  });

  test("the booking form typed in year 9999 comes back with the message by the date, in the reader's language", async () => {
    const { slug, offer, customer } = await market(env());
    await env().deps.db.updateTable("users").set({ locale: "de" }).where("id", "=", customer.id).execute();
    const browser = await browse(env(), customer);
    const { startsAt: _s, endsAt: _e, ...visit } = bookingBody(env());
    const url = `/c/${slug}/offers/${offer.id}/book`;
    const fields = { ...visit, timezone: "Europe/Zurich", date: "9999-12-06", from: "10:00", to: "12:00" };
    const refused = await browser.submit(url, fields);
    assert.equal(refused.status, 422);
    assert.match(
      refused.body,
      new RegExp(`id="date-error">Wähle eine Zeit höchstens ${MARKET_LIMITS.bookAheadDays} Tage im Voraus.`),
    );
    assert.ok(refused.body.includes('value="9999-12-06"'), "what was typed is kept");
  });
});
