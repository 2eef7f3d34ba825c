import { test } from "node:test";
import assert from "node:assert/strict";
import { actorOf, openingTransactionAfter } from "../helpers.ts";
import * as bookings from "../../src/marketplace/bookings.service.ts";
import { AppError } from "../../src/core/errors.ts";
import { bookingBody, describeMarket, market, requestBooking, whileAnotherSessionHolds } from "./support.ts";

describeMarket("booking requests racing a change of the helper", (env) => {
  test("a helper suspended while a request is checked is not booked (read under the helper's lock)", async () => {
    const { offer, customer, admin, application } = await market(env());
    const body = bookingBody(env());
    const input = { ...body, startsAt: Date.parse(body.startsAt), endsAt: Date.parse(body.endsAt) };
    // The suspension lands after the request's checks, as the request opens its transaction.
    const suspending = openingTransactionAfter(env().deps, async () => {
      const decided = await env().api.post(
        `/api/v1/helper-applications/${application.id}/decision`,
        { decision: "suspend", reason: "Complaints." },
        admin.auth,
      );
      assert.equal(decided.status, 200, JSON.stringify(decided.body));
    });
    await assert.rejects(bookings.requestBooking(suspending, offer.id, actorOf(customer), input), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.deepEqual([error.code, error.message], ["conflict", "This service friend is not taking bookings."]);
      return true;
    });
    const rows = await env().deps.db.selectFrom("bookings").select("id").where("offerId", "=", offer.id).execute();
    assert.deepEqual(rows, [], "no request waits on a suspended helper");
  });
});

describeMarket("a payment confirmed while staff void it", (env) => {
  test("the customer's confirmation waiting on staff voiding the payment confirms nothing", async (t) => {
    // SQLite runs one writing transaction at a time: the void cannot land mid-confirmation there.
    if (env().deps.dialect !== "postgres") return t.skip("SQLite has one writer");
    const { offer, customer, helper } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env()));
    assert.equal((await env().api.post(`/api/v1/bookings/${booking.id}/accept`, {}, helper.auth)).status, 200);
    env().clock.set(Date.parse(booking.endsAt));
    const done = await env().api.post(`/api/v1/bookings/${booking.id}/complete`, { method: "cash" }, helper.auth);
    assert.equal(done.body.booking.abilities.confirmPayment, false, "only the customer confirms");

    // Another session voids the payment (as upholding a reported problem does) and commits once the
    // customer's confirmation, which read the payment as still due, waits for its row.
    const refused = await whileAnotherSessionHolds(
      env(),
      (holder) =>
        holder.query("update payments set voided_at = $1 where booking_id = $2", [env().clock.now(), booking.id]),
      () => env().api.post(`/api/v1/bookings/${booking.id}/payment/confirm`, {}, customer.auth),
    );
    assert.deepEqual([refused.status, refused.body.error.message], [409, "There is no payment for you to confirm."]);
    const payment = await env()
      .deps.db.selectFrom("payments")
      .select(["confirmedAt", "voidedAt"])
      .where("bookingId", "=", booking.id)
      .executeTakeFirstOrThrow();
    assert.ok(payment.voidedAt !== null);
    assert.equal(payment.confirmedAt, null, "a voided payment is not confirmed");
  });
});
