import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { sqliteBefore } from "../db/migration-support.ts";
import { getPage } from "../web/web-helpers.ts";
import { at, bookingBody, createOffer, describeMarket, jobBody, market, requestBooking } from "./support.ts";

/** The clock the other marketplace tests start from: Thursday 1 January 2026, 12:00 UTC. */
const NEW_YEAR = Date.UTC(2026, 0, 1, 12);

describeMarket("an offer keeps the currency it was priced in", (env) => {
  beforeEach(() => env().clock.set(NEW_YEAR));

  test("an offer is shown and booked in its own currency, not one staff set since", async () => {
    const m = await market(env());
    assert.equal(m.offer.currency, "CHF");
    const changed = await env().api.patch(
      `/api/v1/communities/${m.slug}/marketplace-settings`,
      { currency: "EUR" },
      m.admin.auth,
    );
    assert.equal(changed.status, 200, JSON.stringify(changed.body));

    const found = await env().api.get(`/api/v1/communities/${m.slug}/offers?postalCode=8001`, m.customer.auth);
    assert.equal(found.status, 200, JSON.stringify(found.body));
    assert.deepEqual(
      found.body.offers.map((o: { price: number; currency: string }) => [o.price, o.currency]),
      [[50, "CHF"]],
    );
    const profile = await env().api.get(`/api/v1/communities/${m.slug}/helpers/${m.helper.id}`, m.customer.auth);
    assert.equal(profile.body.offers[0].currency, "CHF");
    const search = await getPage(env(), `/c/${m.slug}/service-friends?postalCode=8001`);
    assert.match(search.body, /CHF\s?50.00 fixed/);
    assert.doesNotMatch(search.body, /€\s?50.00/);
    const form = await getPage(env(), `/c/${m.slug}/offers/${m.offer.id}/book`, m.customer);
    assert.equal(form.status, 200);
    assert.match(form.body, /CHF\s?50.00 fixed/);

    const booking = await requestBooking(env(), m.offer.id, m.customer, bookingBody(env()));
    assert.deepEqual([booking.price, booking.currency], [50, "CHF"]);

    // An offer published after the change is priced in the new currency.
    const later = await createOffer(env(), m.slug, m.helper, m.service.id, { postalCodes: ["8002"], price: 40 });
    assert.equal(later.currency, "EUR");
  });

  test("a job is dispatched only to offers in its currency, and booked at that offer's price", async () => {
    const m = await market(env());
    // Each job a day later than the one before: the helper is booked for the first.
    let day = 1;
    const request = () =>
      env().api.post(
        `/api/v1/communities/${m.slug}/job-requests`,
        { ...jobBody(env(), m.service.id), startsAt: at(env(), ++day, "09:00"), endsAt: at(env(), day, "11:00") },
        m.customer.auth,
      );
    const inFrancs = await request();
    assert.deepEqual([inFrancs.status, inFrancs.body.offeredTo], [201, 1]);
    const changed = { currency: "EUR" };
    const patched = await env().api.patch(`/api/v1/communities/${m.slug}/marketplace-settings`, changed, m.admin.auth);
    assert.equal(patched.status, 200);

    // The helper's only offer is in francs: a job in euros is offered to nobody.
    const inEuros = await request();
    assert.deepEqual([inEuros.status, inEuros.body.jobRequest.currency, inEuros.body.offeredTo], [201, "EUR", 0]);
    // The job asked for in francs is still theirs to take, at the offer's price in francs.
    const taken = await env().api.post(`/api/v1/job-requests/${inFrancs.body.jobRequest.id}/accept`, {}, m.helper.auth);
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    assert.deepEqual([taken.body.booking.price, taken.body.booking.currency], [50, "CHF"]);

    // Once they publish an offer in euros, a job in euros reaches them and is booked at its price.
    await createOffer(env(), m.slug, m.helper, m.service.id, { price: 40 });
    const next = await request();
    assert.equal(next.body.offeredTo, 1);
    const offers = (await env().api.get("/api/v1/me/job-offers", m.helper.auth)).body.jobOffers;
    const offered = offers.find((j: { id: number }) => j.id === next.body.jobRequest.id);
    assert.deepEqual([offered.canAccept, offered.acceptRefusal], [true, null]);
  });
});

test("migration 042 gives the offers published before it their community's currency, else CHF", async () => {
  const { db, row, migrateRest } = await sqliteBefore("042_offer_currency");
  row("users", { id: 7, email: "u7@example.test", handle: "u7" });
  for (const id of [1, 2]) row("communities", { id, slug: `c${id}` });
  row("marketplace_settings", { community_id: 1, currency: "EUR" });
  row("services", { id: 1, community_id: 1, name: "TV" });
  for (const id of [1, 2])
    row("offers", { id, community_id: id, helper_id: 7, service_id: 1, price_unit: "fixed", postal_codes: "[]" });
  const all = await migrateRest();
  assert.equal(all.error, undefined, String(all.error));
  const rows = await sql<{ id: number; currency: string }>`select id, currency from offers order by id`.execute(db);
  assert.deepEqual(rows.rows, [
    { id: 1, currency: "EUR" },
    { id: 2, currency: "CHF" },
  ]);
  await db.destroy();
});
