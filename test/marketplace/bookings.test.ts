import { test } from "node:test";
import assert from "node:assert/strict";
import { buildUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { acceptBooking, proposeTime } from "../../src/marketplace/bookings.service.ts";
import { at, bookingBody, describeMarket, market, requestBooking } from "./support.ts";

const HOUR = 3600_000;

describeMarket("bookings", (env) => {
  test("booking messages are rate limited like posts", async () => {
    const { offer, customer } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env()));
    const max = env().deps.config.rateLimits.post.max;
    const statuses: number[] = [];
    for (let i = 0; i <= max; i++) {
      statuses.push(
        (await env().api.post(`/api/v1/bookings/${booking.id}/messages`, { body: `Message ${i}` }, customer.auth))
          .status,
      );
    }
    assert.deepEqual(statuses, [...Array(max).fill(201), 429]);
  });

  test("request, accept, message, complete: the address shows to the helper only after acceptance", async () => {
    const { offer, customer, helper } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env()));
    assert.equal(booking.status, "requested");
    assert.equal(booking.address, "Bahnhofstrasse 1, 8001 Zürich", "the customer sees their own address");
    const asHelper = await env().api.get(`/api/v1/bookings/${booking.id}`, helper.auth);
    assert.equal(asHelper.body.booking.address, null);
    assert.equal(asHelper.body.booking.phone, null);
    assert.equal(asHelper.body.booking.abilities.accept, true);
    const accepted = await env().api.post(`/api/v1/bookings/${booking.id}/accept`, {}, helper.auth);
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.booking.status, "accepted");
    assert.equal(accepted.body.booking.address, "Bahnhofstrasse 1, 8001 Zürich");
    assert.equal(
      (
        await env().api.post(
          `/api/v1/bookings/${booking.id}/messages`,
          { body: "I will bring an HDMI cable." },
          helper.auth,
        )
      ).status,
      201,
    );
    await env().api.post(`/api/v1/bookings/${booking.id}/messages`, { body: "Great, see you Monday." }, customer.auth);
    const thread = await env().api.get(`/api/v1/bookings/${booking.id}`, customer.auth);
    assert.deepEqual(
      thread.body.messages.map((m: any) => m.author.id),
      [helper.id, customer.id],
    );
    assert.equal(
      (await env().api.post(`/api/v1/bookings/${booking.id}/complete`, { method: "cash" }, helper.auth)).status,
      409,
      "not before the appointment",
    );
    env().clock.set(Date.parse(booking.startsAt) + HOUR);
    const done = await env().api.post(`/api/v1/bookings/${booking.id}/complete`, { method: "cash" }, helper.auth);
    assert.equal(done.body.booking.status, "completed");
    await drainJobs(env());
    const kinds = (await env().api.get("/api/v1/notifications", customer.auth)).body.notifications
      .map((n: any) => n.kind)
      .sort();
    assert.deepEqual(
      kinds,
      ["market.booking_accepted", "market.booking_completed", "market.booking_message"],
      "no reminder for a job already done",
    );
  });

  test("a data export gives the customer their booking's address and phone, the helper neither", async () => {
    const { offer, customer, helper } = await market(env());
    const body = bookingBody(env());
    const booking = await requestBooking(env(), offer.id, customer, body);
    const exportedBooking = async (user: typeof customer) => {
      const res = await env().api.get("/api/v1/me/export", user.auth);
      assert.equal(res.status, 200);
      return res.body.bookings.find((b: { id: number }) => b.id === booking.id);
    };
    const customerCopy = await exportedBooking(customer);
    assert.deepEqual([customerCopy.address, customerCopy.phone], [body.address, body.phone]);
    const helperCopy = await exportedBooking(helper);
    assert.equal(helperCopy.description, body.description, "the helper's copy is there");
    assert.deepEqual([helperCopy.address, helperCopy.phone], [null, null], "not before acceptance, not ever");
  });

  test("another member reads neither the booking, its messages nor the address; cannot post", async () => {
    const { offer, customer, other, helper, staff } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env()));
    assert.equal((await env().api.get(`/api/v1/bookings/${booking.id}`, other.auth)).status, 404);
    assert.equal(
      (await env().api.post(`/api/v1/bookings/${booking.id}/messages`, { body: "Hi there" }, other.auth)).status,
      404,
    );
    assert.equal((await env().api.post(`/api/v1/bookings/${booking.id}/accept`, {}, other.auth)).status, 404);
    assert.equal((await env().api.get(`/api/v1/bookings/${booking.id}`)).status, 401);
    assert.equal(
      (await env().api.get(`/api/v1/bookings/${booking.id}`, staff.auth)).body.booking.address,
      "Bahnhofstrasse 1, 8001 Zürich",
      "staff handle disputes",
    );
    assert.equal(
      (await env().api.post(`/api/v1/bookings/${booking.id}/accept`, {}, customer.auth)).status,
      409,
      "the customer does not accept their own request",
    );
    assert.equal((await env().api.get(`/api/v1/bookings/${booking.id}`, helper.auth)).body.booking.status, "requested");
  });

  test("in a community the viewer may not see, a booking or an offer answers like a missing one", async () => {
    const { community, offer, customer } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env(), 5));
    await env()
      .deps.db.updateTable("communities")
      .set({ visibility: "private" })
      .where("id", "=", community.id)
      .execute();
    const outsider = await buildUser(env());
    const missing = 2_000_000;
    const answers = async (call: (id: number) => Promise<{ status: number; body: any }>, hidden: number) => {
      const [seen, absent] = [await call(hidden), await call(missing)];
      assert.equal(seen.status, 404);
      assert.deepEqual(seen.body, absent.body);
      return seen.body.error.message;
    };
    assert.equal(
      await answers((id) => env().api.get(`/api/v1/bookings/${id}`, outsider.auth), booking.id),
      "Booking not found.",
    );
    assert.equal(
      await answers(
        (id) => env().api.post(`/api/v1/offers/${id}/bookings`, bookingBody(env()), outsider.auth),
        offer.id,
      ),
      "Offer not found.",
    );
    assert.equal(
      await answers((id) => env().api.delete(`/api/v1/offers/${id}`, outsider.auth), offer.id),
      "Offer not found.",
    );
  });

  test("booking one's own offer, an unapproved or suspended helper, a time outside availability or in the past", async () => {
    const { offer, customer, helper, admin, application } = await market(env());
    assert.equal(
      (await env().api.post(`/api/v1/offers/${offer.id}/bookings`, bookingBody(env()), helper.auth)).status,
      403,
    );
    const night = { ...bookingBody(env()), startsAt: at(env(), 4, "21:00"), endsAt: at(env(), 4, "22:00") };
    const outside = await env().api.post(`/api/v1/offers/${offer.id}/bookings`, night, customer.auth);
    assert.equal(outside.status, 422);
    assert.ok(outside.body.error.fields.startsAt);
    assert.equal(
      (await env().api.post(`/api/v1/offers/${offer.id}/bookings`, bookingBody(env(), -1), customer.auth)).status,
      422,
    );
    assert.equal(
      (
        await env().api.post(
          `/api/v1/offers/${offer.id}/bookings`,
          { ...bookingBody(env()), endsAt: at(env(), 4, "09:00") },
          customer.auth,
        )
      ).status,
      422,
    );
    await env().api.post(
      `/api/v1/helper-applications/${application.id}/decision`,
      { decision: "suspend", reason: "Complaints." },
      admin.auth,
    );
    const suspended = await env().api.post(`/api/v1/offers/${offer.id}/bookings`, bookingBody(env()), customer.auth);
    assert.equal(suspended.status, 409);
    assert.equal(
      (await env().deps.db.selectFrom("bookings").selectAll().where("offerId", "=", offer.id).execute()).length,
      0,
    );
  });

  test("no double booking: a request overlapping an accepted booking, or a second overlapping acceptance", async () => {
    const { offer, customer, other, helper } = await market(env());
    const first = await requestBooking(env(), offer.id, customer, bookingBody(env(), 4, "10:00", "12:00"));
    const second = await requestBooking(env(), offer.id, other, bookingBody(env(), 4, "11:00", "13:00"));
    const adjacent = await requestBooking(env(), offer.id, other, bookingBody(env(), 4, "12:00", "13:00"));
    await env().api.post(`/api/v1/bookings/${first.id}/accept`, {}, helper.auth);
    const clash = await env().api.post(`/api/v1/bookings/${second.id}/accept`, {}, helper.auth);
    assert.equal(clash.status, 409);
    assert.match(clash.body.error.message, /already booked/);
    assert.equal(
      (await env().api.post(`/api/v1/bookings/${adjacent.id}/accept`, {}, helper.auth)).status,
      200,
      "back to back is fine",
    );
    assert.equal(
      (await env().api.post(`/api/v1/offers/${offer.id}/bookings`, bookingBody(env(), 4, "09:00", "10:30"), other.auth))
        .status,
      409,
    );
  });

  test("decline with a reason; the helper proposes another time and the customer accepts it", async () => {
    const { offer, customer, helper } = await market(env());
    const one = await requestBooking(env(), offer.id, customer, bookingBody(env()));
    const declined = await env().api.post(
      `/api/v1/bookings/${one.id}/decline`,
      { reason: "On holiday that week." },
      helper.auth,
    );
    assert.deepEqual(
      [declined.body.booking.status, declined.body.booking.reason],
      ["declined", "On holiday that week."],
    );
    assert.equal((await env().api.post(`/api/v1/bookings/${one.id}/accept`, {}, helper.auth)).status, 409);
    const two = await requestBooking(env(), offer.id, customer, bookingBody(env(), 5));
    const moved = await env().api.post(
      `/api/v1/bookings/${two.id}/propose`,
      { startsAt: at(env(), 6, "14:00"), endsAt: at(env(), 6, "15:00") },
      helper.auth,
    );
    assert.equal(moved.body.booking.awaiting, "customer");
    assert.equal(
      (await env().api.post(`/api/v1/bookings/${two.id}/accept`, {}, helper.auth)).status,
      409,
      "now the customer answers",
    );
    const accepted = await env().api.post(`/api/v1/bookings/${two.id}/accept`, {}, customer.auth);
    assert.equal(accepted.body.booking.status, "accepted");
    assert.equal(accepted.body.booking.startsAt, new Date(Date.parse(at(env(), 6, "14:00"))).toISOString());
  });

  test("cancelling is free until the deadline (24 h by default), late after it; a reason is required", async () => {
    const { offer, customer, helper } = await market(env());
    const early = await requestBooking(env(), offer.id, customer, bookingBody(env(), 4));
    await env().api.post(`/api/v1/bookings/${early.id}/accept`, {}, helper.auth);
    assert.equal((await env().api.post(`/api/v1/bookings/${early.id}/cancel`, {}, customer.auth)).status, 422);
    const free = await env().api.post(
      `/api/v1/bookings/${early.id}/cancel`,
      { reason: "Solved it myself." },
      customer.auth,
    );
    assert.deepEqual([free.body.booking.status, free.body.booking.lateCancellation], ["cancelled", false]);
    const late = await requestBooking(env(), offer.id, customer, bookingBody(env(), 5));
    await env().api.post(`/api/v1/bookings/${late.id}/accept`, {}, helper.auth);
    env().clock.set(Date.parse(late.startsAt) - 2 * HOUR);
    const cancelled = await env().api.post(`/api/v1/bookings/${late.id}/cancel`, { reason: "I am ill." }, helper.auth);
    assert.deepEqual([cancelled.body.booking.lateCancellation, cancelled.body.booking.cancelledBy], [true, helper.id]);
    assert.equal(
      (await env().api.post(`/api/v1/bookings/${late.id}/cancel`, { reason: "Again." }, customer.auth)).status,
      409,
    );
  });

  test("completing a booking that was never accepted is refused", async () => {
    const { offer, customer, helper } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env()));
    env().clock.set(Date.parse(booking.startsAt) + HOUR);
    const res = await env().api.post(`/api/v1/bookings/${booking.id}/complete`, { method: "cash" }, helper.auth);
    assert.equal(res.status, 409);
    assert.equal(
      (await env().deps.db.selectFrom("payments").selectAll().where("bookingId", "=", booking.id).execute()).length,
      0,
    );
  });

  test("an unanswered request expires after 48 hours through the job queue; reminders come a day before", async () => {
    env().clock.set(Date.UTC(2026, 2, 2, 11)); // 12:00 in Zurich
    const { offer, customer, helper } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env(), 10));
    const accepted = await requestBooking(env(), offer.id, customer, bookingBody(env(), 3, "13:00", "14:00"));
    await env().api.post(`/api/v1/bookings/${accepted.id}/accept`, {}, helper.auth);
    env().clock.advance(47 * HOUR);
    await drainJobs(env());
    assert.equal(
      (await env().api.get(`/api/v1/bookings/${booking.id}`, customer.auth)).body.booking.status,
      "requested",
    );
    const reminders = async () =>
      (await env().api.get("/api/v1/notifications", helper.auth)).body.notifications.filter(
        (n: any) => n.kind === "market.booking_reminder",
      ).length;
    assert.equal(await reminders(), 0, "the reminder waits for the day before");
    env().clock.advance(2 * HOUR);
    await drainJobs(env());
    assert.equal((await env().api.get(`/api/v1/bookings/${booking.id}`, customer.auth)).body.booking.status, "expired");
    assert.equal(await reminders(), 1);
    assert.equal((await env().api.post(`/api/v1/bookings/${booking.id}/accept`, {}, helper.auth)).status, 409);
  });

  test("a customer accepting a proposed time while the helper proposes another accepts only the time they saw", async () => {
    const { offer, customer, helper } = await market(env());
    const asActor = (user: typeof customer) => ({
      ...user,
      email: `${user.id}@example.test`,
      isPlatformAdmin: false,
      locale: null,
      via: "token" as const,
    });
    for (const day of [3, 6, 9]) {
      const booking = await requestBooking(env(), offer.id, customer, bookingBody(env(), day));
      const seen = { startsAt: at(env(), day + 1, "10:00"), endsAt: at(env(), day + 1, "11:00") };
      assert.equal((await env().api.post(`/api/v1/bookings/${booking.id}/propose`, seen, helper.auth)).status, 200);
      const other = {
        startsAt: Date.parse(at(env(), day + 2, "18:00")),
        endsAt: Date.parse(at(env(), day + 2, "19:00")),
      };
      const [accepted] = await Promise.allSettled([
        acceptBooking(env().deps, booking.id, asActor(customer)),
        proposeTime(env().deps, booking.id, asActor(helper), other),
      ]);
      const after = (await env().api.get(`/api/v1/bookings/${booking.id}`, customer.auth)).body.booking;
      if (accepted.status === "fulfilled")
        assert.deepEqual(
          [after.status, after.startsAt],
          ["accepted", new Date(Date.parse(seen.startsAt)).toISOString()],
        );
      else assert.equal(after.status, "requested");
    }
  });
});
