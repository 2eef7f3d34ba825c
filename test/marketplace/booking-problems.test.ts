import { test } from "node:test";
import assert from "node:assert/strict";
import { type TestEnv, type TestUser, actorOf, openingTransactionAfter } from "../helpers.ts";
import { resolveProblem } from "../../src/marketplace/problems.service.ts";
import { drainJobs } from "../notifications/support.ts";
import { browse } from "../web/web-helpers.ts";
import { bookingBody, describeMarket, market, requestBooking } from "./support.ts";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const DETAILS = "Nobody came; I waited at home for two hours.";

const speaks = (env: TestEnv, user: TestUser, locale: string) =>
  env.deps.db.updateTable("users").set({ locale }).where("id", "=", user.id).execute();

/** An accepted booking four days ahead; the clock stays where it was. */
async function acceptedBooking(env: TestEnv, m: Awaited<ReturnType<typeof market>>) {
  const booking = await requestBooking(env, m.offer.id, m.customer, bookingBody(env));
  assert.equal((await env.api.post(`/api/v1/bookings/${booking.id}/accept`, {}, m.helper.auth)).status, 200);
  return booking;
}

/** The same, taken past its end and completed by the helper (cash). */
async function completedBooking(env: TestEnv, m: Awaited<ReturnType<typeof market>>) {
  const booking = await acceptedBooking(env, m);
  env.clock.set(Date.parse(booking.endsAt));
  const done = await env.api.post(`/api/v1/bookings/${booking.id}/complete`, { method: "cash" }, m.helper.auth);
  assert.equal(done.status, 200, JSON.stringify(done.body));
  return done.body.booking;
}

const report = (env: TestEnv, id: number, user: TestUser, body: Record<string, unknown>) =>
  env.api.post(`/api/v1/bookings/${id}/problem`, body, user.auth);

const notified = async (env: TestEnv, kind: string) => {
  await drainJobs(env);
  return (
    await env.deps.db
      .selectFrom("notifications")
      .select("userId")
      .where("kind", "=", `market.${kind}`)
      .orderBy("userId")
      .execute()
  ).map((n) => n.userId);
};

describeMarket("reporting a problem with a booking", (env) => {
  test("a party reports once the appointment began, once at a time; others cannot; both parties are told", async () => {
    const m = await market(env());
    const booking = await acceptedBooking(env(), m);
    const early = await report(env(), booking.id, m.customer, { kind: "no_show", details: DETAILS });
    assert.equal(early.status, 409, JSON.stringify(early.body));
    assert.equal(early.body.error.message, "You can report a problem once the appointment has begun.");

    env().clock.set(Date.parse(booking.startsAt) + HOUR);
    const seen = (await env().api.get(`/api/v1/bookings/${booking.id}`, m.customer.auth)).body.booking;
    assert.equal(seen.abilities.report, true);
    assert.equal((await report(env(), booking.id, m.other, { kind: "other", details: DETAILS })).status, 404);
    assert.equal((await report(env(), booking.id, m.staff, { kind: "other", details: DETAILS })).status, 403);
    const short = await report(env(), booking.id, m.customer, { kind: "no_show", details: "Late" });
    assert.equal(short.status, 422);
    assert.ok(short.body.error.fields.details);
    const bad = await report(env(), booking.id, m.customer, { kind: "rude", details: DETAILS });
    assert.ok(bad.status === 422 && bad.body.error.fields.kind);

    const made = await report(env(), booking.id, m.customer, { kind: "no_show", details: DETAILS });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.deepEqual(
      [made.body.problem.kind, made.body.problem.status, made.body.problem.reporter.role],
      ["no_show", "open", "customer"],
    );
    const again = await report(env(), booking.id, m.helper, { kind: "payment", details: "I was there, on time." });
    assert.equal(again.status, 409);
    assert.deepEqual(
      await notified(env(), "booking_problem"),
      [m.helper.id, m.customer.id].sort((a, b) => a - b),
    );
    const staffView = (await env().api.get(`/api/v1/bookings/${booking.id}`, m.staff.auth)).body.booking;
    assert.deepEqual(
      staffView.problems.map((p: any) => p.details),
      [DETAILS],
      "staff read it",
    );
    assert.equal(staffView.abilities.report, false);
    // What the member reported is theirs: in their data export.
    const exported = (await env().api.get("/api/v1/me/export", m.customer.auth)).body;
    assert.deepEqual(
      exported.bookingProblems.map((p: any) => [p.bookingId, p.details]),
      [[booking.id, DETAILS]],
    );
  });

  test("staff list open reports; upholding the customer's no-show marks the booking, audited, both told", async () => {
    const m = await market(env());
    const booking = await acceptedBooking(env(), m);
    env().clock.set(Date.parse(booking.startsAt) + HOUR);
    const { problem } = (await report(env(), booking.id, m.customer, { kind: "no_show", details: DETAILS })).body;
    assert.equal((await env().api.get(`/api/v1/communities/${m.slug}/booking-problems`, m.other.auth)).status, 403);
    const open = await env().api.get(`/api/v1/communities/${m.slug}/booking-problems?status=open`, m.staff.auth);
    assert.deepEqual(
      open.body.problems.map((p: any) => p.id),
      [problem.id],
    );
    const resolve = (user: TestUser, body: Record<string, unknown>) =>
      env().api.post(`/api/v1/booking-problems/${problem.id}/resolve`, body, user.auth);
    assert.equal((await resolve(m.customer, { outcome: "upheld", note: "Mine" })).status, 403, "a party");
    assert.equal((await resolve(m.other, { outcome: "upheld", note: "Sure" })).status, 404, "a stranger");
    assert.equal((await resolve(m.staff, { outcome: "maybe", note: "Hmm" })).status, 422);
    const done = await resolve(m.staff, { outcome: "upheld", note: "The helper confirmed missing it." });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.deepEqual([done.body.problem.status, done.body.problem.outcome], ["resolved", "upheld"]);
    assert.equal((await resolve(m.admin, { outcome: "dismissed", note: "Again" })).status, 409);

    const after = (await env().api.get(`/api/v1/bookings/${booking.id}`, m.customer.auth)).body.booking;
    assert.deepEqual([after.status, after.payment, after.abilities.complete], ["no_show", null, false]);
    const audit = await env()
      .deps.db.selectFrom("auditLog")
      .select(["action", "actorId", "targetType", "targetId"])
      .where("targetType", "=", "booking_problem")
      .execute();
    assert.deepEqual(audit, [
      { action: "booking_problem.uphold", actorId: m.staff.id, targetType: "booking_problem", targetId: problem.id },
    ]);
    assert.deepEqual(
      await notified(env(), "booking_problem_upheld"),
      [m.helper.id, m.customer.id].sort((a, b) => a - b),
    );
    const profile = (who?: TestUser) =>
      env().api.get(`/api/v1/communities/${m.slug}/helpers/${m.helper.id}`, who?.auth);
    assert.equal((await profile(m.staff)).body.helper.noShows, 1, "staff see the no-shows");
    assert.equal((await profile(m.helper)).body.helper.noShows, 1, "and the helper");
    assert.equal((await profile(m.customer)).body.helper.noShows, null, "nobody else");
    assert.equal((await profile(m.staff)).body.helper.completedJobs, 0);
    const resolved = await env().api.get(
      `/api/v1/communities/${m.slug}/booking-problems?status=resolved`,
      m.staff.auth,
    );
    assert.deepEqual(
      resolved.body.problems.map((p: any) => [p.id, p.outcome]),
      [[problem.id, "upheld"]],
    );
  });

  test("a completed booking: no no-show; an upheld payment report voids the payment and the completed job", async () => {
    const m = await market(env());
    const booking = await completedBooking(env(), m);
    const month = booking.payment.recordedAt.slice(0, 7);
    const noShow = await report(env(), booking.id, m.customer, { kind: "no_show", details: DETAILS });
    assert.equal(noShow.status, 422);
    assert.ok(noShow.body.error.fields.kind);
    const { problem } = (
      await report(env(), booking.id, m.customer, { kind: "payment", details: "I paid cash but it is shown twice." })
    ).body;
    const res = await env().api.post(
      `/api/v1/booking-problems/${problem.id}/resolve`,
      { outcome: "upheld", note: "Refund agreed." },
      m.staff.auth,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const after = (await env().api.get(`/api/v1/bookings/${booking.id}`, m.customer.auth)).body.booking;
    assert.equal(after.status, "completed");
    assert.ok(after.payment.voidedAt, "voided");
    assert.equal(after.abilities.confirmPayment, false);
    assert.equal(
      (await env().api.post(`/api/v1/bookings/${booking.id}/payment/confirm`, {}, m.customer.auth)).status,
      409,
    );
    const profile = await env().api.get(`/api/v1/communities/${m.slug}/helpers/${m.helper.id}`);
    assert.equal(profile.body.helper.completedJobs, 0);
    const csv = await env().app.inject({
      method: "GET",
      url: `/api/v1/communities/${m.slug}/payouts?month=${month}&helper=${m.helper.id}`,
      headers: { authorization: `Bearer ${m.admin.auth.token}` },
    });
    assert.deepEqual(csv.body.trim().split("\r\n").slice(1), ["total,,,,,,,0.00,,0.00,0.00"], "left out");

    // A second upheld report voids nothing more.
    const second = await report(env(), booking.id, m.helper, { kind: "other", details: "Customer was rude to me." });
    assert.equal(second.status, 201);
    env().clock.advance(14 * DAY + 1);
    const late = await report(env(), booking.id, m.customer, { kind: "other", details: DETAILS });
    assert.equal(late.status, 409);
  });

  test("upholding reads the booking as it is: a completion landing meanwhile is voided too", async () => {
    const m = await market(env());
    const booking = await acceptedBooking(env(), m);
    env().clock.set(Date.parse(booking.endsAt));
    const { problem } = (
      await report(env(), booking.id, m.customer, { kind: "not_done", details: "The wall mount was not fitted." })
    ).body;
    // The helper completes the job between staff opening the report and their decision being written.
    const completing = openingTransactionAfter(env().deps, async () => {
      const done = await env().api.post(`/api/v1/bookings/${booking.id}/complete`, { method: "cash" }, m.helper.auth);
      assert.equal(done.status, 200, JSON.stringify(done.body));
    });
    const staffActor = actorOf(m.staff);
    await resolveProblem(completing, problem.id, staffActor, { outcome: "upheld", note: "Not fitted, agreed." });
    const after = (await env().api.get(`/api/v1/bookings/${booking.id}`, m.customer.auth)).body.booking;
    assert.equal(after.status, "completed");
    assert.ok(after.payment.voidedAt, "the payment recorded meanwhile is voided");
    const profile = await env().api.get(`/api/v1/communities/${m.slug}/helpers/${m.helper.id}`);
    assert.equal(profile.body.helper.completedJobs, 0);
  });

  test("a report past 14 days after completion is refused; a dismissed one changes nothing but its state", async () => {
    const m = await market(env());
    const booking = await completedBooking(env(), m);
    env().clock.advance(14 * DAY - 1);
    const { problem } = (await report(env(), booking.id, m.customer, { kind: "not_done", details: DETAILS })).body;
    assert.ok(problem, "still within 14 days");
    const res = await env().api.post(
      `/api/v1/booking-problems/${problem.id}/resolve`,
      { outcome: "dismissed", note: "Photos show the work done." },
      m.admin.auth,
    );
    assert.equal(res.status, 200);
    const after = (await env().api.get(`/api/v1/bookings/${booking.id}`, m.customer.auth)).body.booking;
    assert.deepEqual(
      [after.status, after.payment.voidedAt, after.problems[0].outcome],
      ["completed", null, "dismissed"],
    );
    assert.equal(
      (await env().api.get(`/api/v1/communities/${m.slug}/helpers/${m.helper.id}`)).body.helper.completedJobs,
      1,
    );
    assert.deepEqual(
      await notified(env(), "booking_problem_dismissed"),
      [m.helper.id, m.customer.id].sort((a, b) => a - b),
    );
    env().clock.advance(2);
    const late = await report(env(), booking.id, m.customer, { kind: "payment", details: DETAILS });
    assert.equal(late.status, 409);
    assert.match(late.body.error.message, /within 14 days/);
    assert.equal(
      (await env().api.get(`/api/v1/bookings/${booking.id}`, m.customer.auth)).body.booking.abilities.report,
      false,
    );
  });

  test("the booking page: the form once allowed, field errors and refusals in the reader's language; staff resolve on the desk", async () => {
    const m = await market(env());
    const booking = await acceptedBooking(env(), m);
    const url = `/c/${m.slug}/bookings/${booking.id}`;
    await speaks(env(), m.customer, "de");
    const browser = await browse(env(), m.customer);
    assert.doesNotMatch((await browser.get(url)).body, /action="[^"]*\/problem"/, "not before the start");
    const early = await browser.submit(`${url}/problem`, { kind: "no_show", details: DETAILS });
    assert.equal(early.status, 409);
    assert.ok(early.body.includes("Ein Problem kannst du melden, sobald der Termin begonnen hat."));

    env().clock.set(Date.parse(booking.startsAt) + HOUR);
    const page = (await browser.get(url)).body;
    assert.match(page, /action="[^"]*\/problem"/);
    assert.match(page, /<label for="details">Was ist passiert<\/label>/);
    const short = await browser.submit(`${url}/problem`, { kind: "no_show", details: "Zu spät" });
    assert.equal(short.status, 422);
    assert.match(short.body, /class="field-error" id="details-error"/);
    assert.match(short.body, />Zu spät<\/textarea>/, "what was typed is kept");
    const sent = await browser.submit(`${url}/problem`, { kind: "no_show", details: DETAILS });
    assert.equal(sent.status, 303);
    assert.match((await browser.get(url)).body, /Offen: das Team prüft es/);

    const desk = await browse(env(), m.staff);
    const deskPage = (await desk.get(`/c/${m.slug}/service-friends/staff`)).body;
    assert.ok(deskPage.includes(`href="${url}#problem-`), "staff see a link to it");
    const { id } = await env()
      .deps.db.selectFrom("bookingProblems")
      .select("id")
      .where("bookingId", "=", booking.id)
      .executeTakeFirstOrThrow();
    const action = `/c/${m.slug}/service-friends/booking-problems/${id}/resolve`;
    const noNote = await desk.submit(action, { outcome: "upheld", note: "" });
    assert.equal(noNote.status, 422);
    assert.match(noNote.body, new RegExp(`id="problem-${id}-note-error"`));
    assert.equal((await desk.submit(action, { outcome: "upheld", note: "Confirmed by phone." })).status, 303);
    assert.match((await browser.get(url)).body, /Nicht erschienen/);
  });
});
