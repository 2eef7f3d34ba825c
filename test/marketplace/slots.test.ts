import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, type TestEnv, type TestUser } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { browse, getPage, postForm } from "../web/web-helpers.ts";
import { approvedHelper, createOffer, createService, describeMarket, market, requestBooking } from "./support.ts";

/** Monday 5 January 2026, 09:30 in Zurich (UTC+1): the slot tests' "now". */
const MONDAY_0930 = Date.UTC(2026, 0, 5, 8, 30);

/** A helper free on Mondays 09:00-12:00 and Wednesdays 14:00-15:30 (Zurich), and two members to book them. */
async function weeklyHelper(env: TestEnv) {
  env.clock.set(MONDAY_0930);
  const built = await buildCommunity(env, { members: { member: 2 } });
  const [customer, other] = built.members.member;
  const service = await createService(env, built.slug, built.admin);
  const { user: helper } = await approvedHelper(env, built.slug, built.admin);
  const availability = [
    { day: 1, start: "09:00", end: "12:00" },
    { day: 3, start: "14:00", end: "15:30" },
  ];
  const offer = await createOffer(env, built.slug, helper, service.id, { availability });
  return { ...built, customer, other, helper, offer };
}

/** A booking's body for the given times. */
const visit = (times: { startsAt: string; endsAt: string }) => ({
  ...times,
  description: "My TV box shows error E-102.",
  address: "Bahnhofstrasse 1, 8001 Zürich",
  phone: "+41 44 123 45 67",
});

describeMarket("booking slots and errors", (env) => {
  test("free slots: the weekly hours of the next 14 days, minus the past and accepted bookings", async () => {
    const { offer, customer, other, helper } = await weeklyHelper(env());
    const slots = async () =>
      (await env().api.get(`/api/v1/offers/${offer.id}/slots`)).body.slots.map((s: any) => s.startsAt);
    const before = await env().api.get(`/api/v1/offers/${offer.id}/slots`);
    assert.equal(before.status, 200, "visitors may see them, like the offer");
    assert.equal(before.body.timezone, "Europe/Zurich");
    assert.deepEqual(before.body.slots[0], {
      startsAt: "2026-01-05T09:00:00.000Z",
      endsAt: "2026-01-05T10:00:00.000Z",
    });
    assert.deepEqual(
      await slots(),
      [
        "2026-01-05T09:00:00.000Z", // Monday 10:00; 09:00 has begun
        "2026-01-05T10:00:00.000Z",
        "2026-01-07T13:00:00.000Z", // Wednesday 14:00; 15:00-16:00 would leave the hours
        "2026-01-12T08:00:00.000Z",
        "2026-01-12T09:00:00.000Z",
        "2026-01-12T10:00:00.000Z",
        "2026-01-14T13:00:00.000Z",
      ],
      "Sunday 18 January is the last of the 14 days: no third Monday",
    );

    const accepted = await requestBooking(
      env(),
      offer.id,
      customer,
      visit({ startsAt: "2026-01-12T10:00:00+01:00", endsAt: "2026-01-12T11:30:00+01:00" }),
    );
    await requestBooking(env(), offer.id, other, visit(before.body.slots[2]));
    assert.equal((await env().api.post(`/api/v1/bookings/${accepted.id}/accept`, {}, helper.auth)).status, 200);
    assert.deepEqual(
      await slots(),
      [
        "2026-01-05T09:00:00.000Z",
        "2026-01-05T10:00:00.000Z",
        "2026-01-07T13:00:00.000Z", // only requested: still free
        "2026-01-12T08:00:00.000Z",
        "2026-01-14T13:00:00.000Z",
      ],
      "10:00-11:30 takes the 10:00 and the 11:00 slot",
    );
    await env().api.delete(`/api/v1/offers/${offer.id}`, helper.auth);
    assert.equal((await env().api.get(`/api/v1/offers/${offer.id}/slots`)).status, 404, "a withdrawn offer");
  });

  test("API refusals name the field: outside the hours, empty phone, a taken slot", async () => {
    const { offer, customer, other, helper } = await weeklyHelper(env());
    const book = (body: Record<string, unknown>, who = customer) =>
      env().api.post(`/api/v1/offers/${offer.id}/bookings`, body, who.auth);
    const monday = { startsAt: "2026-01-12T10:00:00+01:00", endsAt: "2026-01-12T11:00:00+01:00" };

    const outside = await book(visit({ startsAt: "2026-01-12T13:00:00+01:00", endsAt: "2026-01-12T14:00:00+01:00" }));
    assert.equal(outside.status, 422);
    assert.equal(outside.body.error.code, "validation_failed");
    assert.equal(
      outside.body.error.fields.startsAt,
      "The helper is not available at that time; pick one of the free slots.",
    );
    const noPhone = await book({ ...visit(monday), phone: "" });
    assert.equal(noPhone.status, 422);
    assert.deepEqual(Object.keys(noPhone.body.error.fields), ["phone"]);
    assert.equal(noPhone.body.error.fields.phone, "Give a phone number.");
    assert.equal(
      (await book({ ...visit(monday), phone: "call me" })).body.error.fields.phone.startsWith("Use a"),
      true,
    );

    const first = await book(visit(monday));
    assert.equal(first.status, 201);
    await env().api.post(`/api/v1/bookings/${first.body.booking.id}/accept`, {}, helper.auth);
    const taken = await book(visit(monday), other);
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, "conflict");
    assert.equal(taken.body.error.fields.startsAt, "The helper is already booked at that time.");
  });

  test("the form offers the free slots, books one, and explains each refusal keeping the input", async () => {
    const { slug, offer, customer, other, helper } = await weeklyHelper(env());
    const url = `/c/${slug}/offers/${offer.id}/book`;
    const browser = await browse(env(), customer);
    const form = await browser.get(url);
    assert.equal(form.status, 200);
    const radios = [...form.body.matchAll(/type="radio" id="slot-\d+" name="slot"\s+value="([^"]+)"/g)].map(
      (m) => m[1],
    );
    assert.equal(radios.length, 7);
    assert.match(
      form.body,
      /<summary>Monday, January 12, 2026 <span class="slot-count">\(3 free\)<\/span><\/summary>/,
      "days in the reader's locale",
    );
    assert.match(form.body, /> 09:00 AM–10:00 AM<\/label>/, "times in the community's zone");
    const { startsAt: _s, endsAt: _e, ...contact } = visit({ startsAt: "", endsAt: "" });

    const nothing = await browser.submit(url, { ...contact, timezone: "Europe/Zurich" });
    assert.equal(nothing.status, 422);
    assert.match(nothing.body, /id="slot-error">Pick one of the free slots.</);
    assert.match(nothing.body, /My TV box shows error E-102./, "the description is kept");

    const noPhone = await browser.submit(url, { ...contact, phone: "", slot: radios[3] });
    assert.equal(noPhone.status, 422);
    assert.match(noPhone.body, /id="phone-error">This field is required.</);
    assert.ok(noPhone.body.includes(`value="${radios[3]}" checked>`), "the picked slot stays picked");
    assert.match(noPhone.body, /<details class="slot-day" open><summary>Monday, January 12/, "and its day open");
    assert.match(noPhone.body, /<details class="slot-day"><summary>Monday, January 5/, "the others folded");

    const outside = await browser.submit(url, {
      ...contact,
      timezone: "Europe/Zurich",
      date: "2026-01-12",
      from: "13:00",
      to: "14:00",
    });
    assert.equal(outside.status, 422);
    assert.match(
      outside.body,
      /id="date-error">The helper is not available at that time; pick one of the free slots.</,
    );
    assert.match(outside.body, /<details class="other-time" open>/, "the typed time stays shown");
    assert.match(outside.body, /name="from" type="time" value="13:00">/);

    const booked = await browser.submit(url, { ...contact, slot: radios[3] });
    assert.equal(booked.status, 303);
    const id = String(booked.headers.location).split("/").pop();
    const { booking } = (await env().api.get(`/api/v1/bookings/${id}`, customer.auth)).body;
    assert.equal(booking.startsAt, "2026-01-12T08:00:00.000Z");
    assert.equal(booking.endsAt, "2026-01-12T09:00:00.000Z");
    await env().api.post(`/api/v1/bookings/${id}/accept`, {}, helper.auth);

    const late = await (await browse(env(), other)).submit(url, { ...contact, slot: radios[3] });
    assert.equal(late.status, 409);
    assert.match(late.body, /id="slot-error">The helper is already booked at that time.</);
    assert.ok(!(await browser.get(url)).body.includes(`value="${radios[3]}"`), "the taken slot is no longer offered");
  });

  test("a job request shows its progress; only the member who asked cancels it, and dispatch stops", async () => {
    env().clock.set(MONDAY_0930);
    const base = await market(env());
    const { slug, service, customer, other, staff, admin } = base;
    const { user: second } = await approvedHelper(env(), slug, admin);
    await createOffer(env(), slug, second, service.id);
    await env().api.patch(
      `/api/v1/communities/${slug}/marketplace-settings`,
      { dispatchBatch: 1, dispatchWaitMinutes: 30 },
      admin.auth,
    );
    const { description, address, phone } = visit({ startsAt: "", endsAt: "" });
    const created = await env().api.post(
      `/api/v1/communities/${slug}/job-requests`,
      {
        serviceId: service.id,
        postalCode: "8001",
        startsAt: "2026-01-07T09:00:00+01:00",
        endsAt: "2026-01-07T11:00:00+01:00",
        description,
        address,
        phone,
      },
      customer.auth,
    );
    assert.equal(created.status, 201);
    const job = created.body.jobRequest;
    assert.equal(job.helpersAsked, 1);
    assert.equal(job.answerBy, new Date(MONDAY_0930 + 30 * 60_000).toISOString());
    assert.equal(job.abilities.cancel, true);
    const asked = (
      await env().deps.db.selectFrom("jobCandidates").select("helperId").where("jobRequestId", "=", job.id).execute()
    ).map((r) => r.helperId);
    const askedHelper = [base.helper, second].find((h) => h.id === asked[0])!;
    assert.equal(
      (await env().api.get(`/api/v1/job-requests/${job.id}`, askedHelper.auth)).body.jobRequest.abilities.cancel,
      false,
    );

    const page = await getPage(env(), `/c/${slug}/job-requests/${job.id}`, customer);
    assert.match(page.body, /Offered to 1 service friend so far./);
    assert.match(page.body, /Expect an answer by Mon, Jan 5, 2026, 10:00 AM \(in 30 minutes\)/);
    assert.ok(page.body.includes(`action="/c/${slug}/job-requests/${job.id}/cancel"`));
    const elsewhere = (await buildCommunity(env())).slug;
    const moved = await getPage(env(), `/c/${elsewhere}/job-requests/${job.id}`, customer);
    assert.equal(moved.status, 301, "under another community's address: sent to its own");
    assert.equal(moved.headers.location, `/c/${slug}/job-requests/${job.id}`);
    assert.ok(
      !(await getPage(env(), `/c/${slug}/job-requests/${job.id}`, askedHelper)).body.includes(`/cancel"`),
      "no cancel button for a helper",
    );

    const mine = await getPage(env(), `/c/${slug}/service-friends/mine`, customer);
    assert.ok(
      mine.body.includes(`href="/c/${slug}/job-requests/${job.id}"`),
      "the request is found again from My bookings",
    );
    assert.match(mine.body, /Your help requests/);

    const cancel = (who: TestUser | null) =>
      env().api.post(`/api/v1/job-requests/${job.id}/cancel`, {}, who?.auth ?? null);
    assert.equal((await cancel(null)).status, 401);
    assert.equal((await cancel(other)).status, 404, "a stranger does not learn it exists");
    assert.equal((await cancel(askedHelper)).status, 403);
    assert.equal((await cancel(staff)).status, 403);
    assert.equal(
      (await postForm(env(), `/c/${slug}/job-requests/${job.id}/cancel`, {}, customer.cookie)).status,
      403,
      "the form needs its CSRF token",
    );
    const done = await (await browse(env(), customer)).submit(`/c/${slug}/job-requests/${job.id}/cancel`);
    assert.equal(done.status, 303);
    const after = await getPage(env(), `/c/${slug}/job-requests/${job.id}`, customer);
    assert.match(after.body, /This request was cancelled; no more service friends are asked./);
    assert.ok(!after.body.includes(`/cancel"`));
    assert.equal((await cancel(customer)).status, 409, "once is enough");
    const listed = async (who: TestUser) =>
      (await env().api.get(`/api/v1/communities/${slug}/job-requests/mine`, who.auth)).body.jobRequests;
    assert.deepEqual(
      (await listed(customer)).map((j: any) => [j.id, j.status]),
      [[job.id, "cancelled"]],
    );
    assert.deepEqual(await listed(other), []);

    env().clock.advance(31 * 60_000);
    await drainJobs(env());
    const rounds = await env()
      .deps.db.selectFrom("jobCandidates")
      .select("helperId")
      .where("jobRequestId", "=", job.id)
      .execute();
    assert.equal(rounds.length, 1, "the second helper is never asked");
    assert.equal((await env().api.post(`/api/v1/job-requests/${job.id}/accept`, {}, askedHelper.auth)).status, 409);
    assert.equal(
      (await env().api.get(`/api/v1/job-requests/${job.id}`, customer.auth)).body.jobRequest.status,
      "cancelled",
    );
  });
});
