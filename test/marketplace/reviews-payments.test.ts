import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, type TestEnv, type TestUser } from "../helpers.ts";
import { communityAccess } from "../../src/communities/index.ts";
import { settingsOf, updateSettings } from "../../src/marketplace/marketplace.settings.ts";
import { bookingBody, createOffer, describeMarket, market, requestBooking } from "./support.ts";

/** A booking taken through to completion (helper accepts, the appointment passes, the helper completes). */
async function completedBooking(
  env: TestEnv,
  offerId: number,
  customer: TestUser,
  helper: TestUser,
  method = "cash",
  days = 4,
) {
  const booking = await requestBooking(env, offerId, customer, bookingBody(env, days));
  await env.api.post(`/api/v1/bookings/${booking.id}/accept`, {}, helper.auth);
  env.clock.set(Date.parse(booking.endsAt));
  const done = await env.api.post(`/api/v1/bookings/${booking.id}/complete`, { method }, helper.auth);
  assert.equal(done.status, 200, JSON.stringify(done.body));
  return done.body.booking;
}

describeMarket("reviews and payments", (env) => {
  test("payment recorded at completion with the platform fee; the customer confirms once", async () => {
    const { offer, customer, helper } = await market(env());
    const booking = await completedBooking(env(), offer.id, customer, helper, "invoice");
    assert.equal(booking.payment.amount, 50);
    assert.equal(booking.payment.fee, 10, "20 % by default");
    assert.match(booking.payment.reference, /^INV-\d+-\d{6}-\d+$/);
    assert.equal(booking.abilities.confirmPayment, false, "the helper does not confirm");
    assert.equal((await env().api.post(`/api/v1/bookings/${booking.id}/payment/confirm`, {}, helper.auth)).status, 409);
    const confirmed = await env().api.post(`/api/v1/bookings/${booking.id}/payment/confirm`, {}, customer.auth);
    assert.ok(confirmed.body.booking.payment.confirmedAt);
    assert.equal(
      (await env().api.post(`/api/v1/bookings/${booking.id}/payment/confirm`, {}, customer.auth)).status,
      409,
    );
  });

  test("an hourly price is charged for the hours worked; the fee follows the community setting", async () => {
    const { slug, admin, service, customer, helper } = await market(env());
    await env().api.patch(`/api/v1/communities/${slug}/marketplace-settings`, { platformFeePercent: 15 }, admin.auth);
    const hourly = await createOffer(env(), slug, helper, service.id, { price: 35, priceUnit: "hour" });
    const booking = await requestBooking(env(), hourly.id, customer, bookingBody(env(), 4));
    await env().api.post(`/api/v1/bookings/${booking.id}/accept`, {}, helper.auth);
    env().clock.set(Date.parse(booking.endsAt));
    const done = await env().api.post(
      `/api/v1/bookings/${booking.id}/complete`,
      { method: "cash", hours: 1.5 },
      helper.auth,
    );
    assert.deepEqual(
      [done.body.booking.payment.amount, done.body.booking.payment.fee, done.body.booking.payment.feePercent],
      [52.5, 7.88, 15],
    );
  });

  test("only the customer of a completed booking reviews, once, 1 to 5 stars; the rating shows on the profile", async () => {
    const { slug, offer, customer, other, helper } = await market(env());
    const pending = await requestBooking(env(), offer.id, customer, bookingBody(env(), 2));
    assert.equal(
      (await env().api.post(`/api/v1/bookings/${pending.id}/review`, { rating: 5, text: "Great!" }, customer.auth))
        .status,
      409,
      "not completed",
    );
    const booking = await completedBooking(env(), offer.id, customer, helper, "cash", 5);
    for (const rating of [0, 6, 4.5]) {
      const bad = await env().api.post(`/api/v1/bookings/${booking.id}/review`, { rating, text: "Hmm" }, customer.auth);
      assert.equal(bad.status, 422, `rating ${rating}`);
      assert.ok(bad.body.error.fields.rating);
    }
    assert.equal(
      (await env().api.post(`/api/v1/bookings/${booking.id}/review`, { rating: 5, text: "Mine!" }, helper.auth)).status,
      403,
      "not the helper",
    );
    assert.equal(
      (await env().api.post(`/api/v1/bookings/${booking.id}/review`, { rating: 1, text: "Never met" }, other.auth))
        .status,
      404,
      "not a stranger",
    );
    const review = await env().api.post(
      `/api/v1/bookings/${booking.id}/review`,
      { rating: 4, text: "Quick and friendly." },
      customer.auth,
    );
    assert.equal(review.status, 201);
    assert.equal(
      (await env().api.post(`/api/v1/bookings/${booking.id}/review`, { rating: 5, text: "Again" }, customer.auth))
        .status,
      409,
      "once",
    );
    const second = await completedBooking(env(), offer.id, customer, helper, "cash", 3);
    await env().api.post(`/api/v1/bookings/${second.id}/review`, { rating: 5, text: "Even better." }, customer.auth);
    const profile = await env().api.get(`/api/v1/communities/${slug}/helpers/${helper.id}`);
    assert.deepEqual(profile.body.helper.rating, { average: 4.5, count: 2 });
    assert.equal(profile.body.helper.completedJobs, 2);
    assert.deepEqual(
      profile.body.reviews.map((r: any) => r.rating),
      [5, 4],
    );
  });

  test("two reviews submitted at once: one is stored", async () => {
    const { offer, customer, helper, slug } = await market(env());
    const booking = await completedBooking(env(), offer.id, customer, helper);
    const results = await Promise.all(
      [1, 2].map(() =>
        env().api.post(`/api/v1/bookings/${booking.id}/review`, { rating: 3, text: "Fine." }, customer.auth),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409]);
    assert.deepEqual((await env().api.get(`/api/v1/communities/${slug}/helpers/${helper.id}`)).body.helper.rating, {
      average: 3,
      count: 1,
    });
  });

  test("the helper answers a review once; members flag a review once", async () => {
    const { offer, customer, other, helper } = await market(env());
    const booking = await completedBooking(env(), offer.id, customer, helper);
    const { review } = (
      await env().api.post(
        `/api/v1/bookings/${booking.id}/review`,
        { rating: 2, text: "Late by an hour." },
        customer.auth,
      )
    ).body;
    assert.equal(
      (await env().api.post(`/api/v1/reviews/${review.id}/response`, { body: "Sorry, the train." }, customer.auth))
        .status,
      403,
    );
    assert.equal(
      (
        await env().api.post(
          `/api/v1/reviews/${review.id}/response`,
          { body: "Sorry, the train was late." },
          helper.auth,
        )
      ).status,
      200,
    );
    assert.equal(
      (await env().api.post(`/api/v1/reviews/${review.id}/response`, { body: "Edited answer." }, helper.auth)).status,
      409,
    );
    assert.equal(
      (await env().api.post(`/api/v1/reviews/${review.id}/flags`, { reason: "Personal attack." }, other.auth)).status,
      201,
    );
    assert.equal(
      (await env().api.post(`/api/v1/reviews/${review.id}/flags`, { reason: "Again." }, other.auth)).status,
      409,
    );
    const row = await env()
      .deps.db.selectFrom("reviews")
      .select(["flagCount", "response"])
      .where("id", "=", review.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { flagCount: 1, response: "Sorry, the train was late." });
  });

  test("staff export a helper's monthly payout statement as CSV", async () => {
    const { slug, offer, customer, helper, admin, other } = await market(env());
    const booking = await completedBooking(env(), offer.id, customer, helper, "invoice");
    const month = booking.payment.recordedAt.slice(0, 7);
    const res = await env().app.inject({
      method: "GET",
      url: `/api/v1/communities/${slug}/payouts?month=${month}&helper=${helper.id}`,
      headers: { authorization: `Bearer ${admin.auth.token}` },
    });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^text\/csv/);
    const lines = res.body.trim().split("\r\n");
    assert.equal(lines[0], "date,booking,service,method,reference,confirmed,currency,amount,fee_percent,fee,payout");
    assert.match(
      lines[1],
      new RegExp(`^${month}-\\d\\d,${booking.id},TV set-up,invoice,INV-[^,]+,no,CHF,50.00,20,10.00,40.00$`),
    );
    assert.equal(lines[2], "total,,,,,,CHF,50.00,,10.00,40.00");
    assert.equal(
      (await env().api.get(`/api/v1/communities/${slug}/payouts?month=${month}&helper=${helper.id}`, other.auth))
        .status,
      403,
    );
    assert.equal(
      (await env().api.get(`/api/v1/communities/${slug}/payouts?month=2026-13&helper=${helper.id}`, admin.auth)).status,
      422,
    );
  });

  test("two admins changing different settings at once both keep their change", async () => {
    const { slug, admin, community } = await buildCommunity(env());
    const actor = {
      ...admin,
      email: "admin@example.test",
      isPlatformAdmin: false,
      locale: null,
      via: "token" as const,
    };
    const access = await communityAccess(env().deps, { slug }, actor);
    await updateSettings(env().deps, access, { dispatchBatch: 5 });
    await Promise.all([
      updateSettings(env().deps, access, { currency: "EUR" }),
      updateSettings(env().deps, access, { platformFeePercent: 7 }),
    ]);
    const settings = await settingsOf(env().deps.db, community.id);
    assert.deepEqual([settings.currency, settings.platformFeePercent, settings.dispatchBatch], ["EUR", 7, 5]);
  });
});
