import { test } from "node:test";
import assert from "node:assert/strict";
import { createOffer, describeMarket, jobBody, market } from "./support.ts";

/**
 * A helper taking a dispatched job is booked on an offer of theirs that serves the job's postal
 * code (listed, or within its radius), the cheapest of those; never on a cheaper offer for another
 * area. With none left that serves it, the job is not theirs to take (409) and stays open.
 */
describeMarket("dispatch books an offer that serves the job's area", (env) => {
  test("the helper's cheaper offer elsewhere is not the one booked", async () => {
    const { slug, service, helper, customer, offer } = await market(env());
    // The market's offer: 50 in 8001. A cheaper one for Bern, and one around Winterthur reaching 8001 (~20 km).
    const bern = await createOffer(env(), slug, helper, service.id, { price: 20, postalCodes: ["3000"] });
    const around = await createOffer(env(), slug, helper, service.id, {
      price: 45,
      postalCodes: [],
      place: { postalCode: "8400", radiusKm: 30 },
    });
    const res = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      jobBody(env(), service.id),
      customer.auth,
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.offeredTo, 1);
    const taken = await env().api.post(`/api/v1/job-requests/${res.body.jobRequest.id}/accept`, {}, helper.auth);
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    assert.equal(taken.body.booking.price, 45, "the cheapest offer serving 8001, within its radius");
    const row = await env()
      .deps.db.selectFrom("bookings")
      .select(["offerId", "priceCents"])
      .where("id", "=", taken.body.booking.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { offerId: around.id, priceCents: 4500 });
    assert.notEqual(row.offerId, bern.id);
    assert.ok(offer.id);
  });

  test("with only an offer for another area left, the job is refused (409) and stays open", async () => {
    const { slug, service, helper, customer, offer } = await market(env());
    await createOffer(env(), slug, helper, service.id, { price: 20, postalCodes: ["3000"] });
    const res = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      jobBody(env(), service.id),
      customer.auth,
    );
    assert.equal(res.body.offeredTo, 1, "asked for the offer in 8001");
    assert.equal((await env().api.delete(`/api/v1/offers/${offer.id}`, helper.auth)).status, 200);
    const taken = await env().api.post(`/api/v1/job-requests/${res.body.jobRequest.id}/accept`, {}, helper.auth);
    assert.equal(taken.status, 409, JSON.stringify(taken.body));
    assert.equal(taken.body.error.code, "conflict");
    assert.equal(taken.body.error.message, "You no longer offer this service in 8001.");
    const job = (await env().api.get(`/api/v1/job-requests/${res.body.jobRequest.id}`, customer.auth)).body.jobRequest;
    assert.deepEqual([job.status, job.bookingId], ["open", null]);
    const booked = await env().deps.db.selectFrom("bookings").select("id").where("jobRequestId", "=", job.id).execute();
    assert.equal(booked.length, 0);
  });
});
