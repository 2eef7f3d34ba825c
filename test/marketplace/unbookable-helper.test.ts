import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, type TestEnv, type TestUser } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";
import { approvedHelper, bookingBody, createOffer, createService, describeMarket, market } from "./support.ts";

const NOT_SELLING_DE = "Dieser Service-Freund nimmt zurzeit keine Buchungen an.";

const speaks = (env: TestEnv, user: TestUser, locale: string) =>
  env.deps.db.updateTable("users").set({ locale }).where("id", "=", user.id).execute();

/**
 * A helper who does not sell in the community (banned, suspended in it, removed from a private one,
 * or suspended as a service friend) cannot be booked: the booking form's page says so in the reader's
 * language with the booking's own 409, instead of opening a form whose post is refused; their profile
 * is gone for customers (404), as they are gone from the search, while they and staff still see it.
 */
describeMarket("a helper who may not be booked", (env) => {
  /** The booking form's page as the (German-speaking) customer gets it, and the API's answer to a booking. */
  async function bookingForm(offerId: number, slug: string, customer: TestUser) {
    const page = await getPage(env(), `/c/${slug}/offers/${offerId}/book`, customer);
    const api = await env().api.post(`/api/v1/offers/${offerId}/bookings`, bookingBody(env()), customer.auth);
    return { page, api };
  }

  function assertRefused(form: Awaited<ReturnType<typeof bookingForm>>, why: string) {
    assert.equal(form.api.status, 409, `${why}: the API refuses the booking`);
    assert.equal(form.page.status, form.api.status, `${why}: the form's page answers as the booking does`);
    assert.ok(form.page.body.includes(NOT_SELLING_DE), `${why}: the reason, in the reader's language`);
    assert.ok(!form.page.body.includes('name="slot"'), `${why}: no form to fill in`);
  }

  test("suspended in the community, banned, or suspended as a helper: the form's page says why", async () => {
    const { slug, admin, staff, helper, customer, offer, application } = await market(env());
    await speaks(env(), customer, "de");
    const open = await bookingForm(offer.id, slug, customer);
    assert.equal(open.page.status, 200, "in good standing the form opens");
    assert.ok(!open.page.body.includes(NOT_SELLING_DE));
    const profile = (viewer: TestUser | null) => getPage(env(), `/c/${slug}/helpers/${helper.id}`, viewer);
    const apiProfile = (viewer: TestUser | null) =>
      env().api.get(`/api/v1/communities/${slug}/helpers/${helper.id}`, viewer?.auth);

    const member = `/api/v1/communities/${slug}/members/${helper.id}`;
    const suspended = await env().api.put(`${member}/suspension`, { days: 7, reason: "Rude" }, admin.auth);
    assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
    assertRefused(await bookingForm(offer.id, slug, customer), "suspended in the community");
    assert.equal((await profile(customer)).status, 404);
    const own = await apiProfile(helper);
    assert.equal(own.status, 200, "the helper still sees their own");
    assert.equal(own.body.helper.takesBookings, false);
    env().clock.advance(8 * 24 * 3600_000);
    assert.equal((await bookingForm(offer.id, slug, customer)).page.status, 200, "the suspension over");

    assert.equal((await env().api.put(`${member}/ban`, { reason: "Scamming customers" }, admin.auth)).status, 200);
    assertRefused(await bookingForm(offer.id, slug, customer), "banned");
    assert.equal((await profile(customer)).status, 404, "no profile for customers, as no search result");
    assert.equal((await profile(null)).status, 404);
    assert.equal((await apiProfile(customer)).status, 404);
    const seenByStaff = await apiProfile(staff);
    assert.equal(seenByStaff.status, 200, "staff still see it");
    assert.equal(seenByStaff.body.helper.takesBookings, false);
    const staffPage = await profile(staff);
    assert.equal(staffPage.status, 200);
    assert.ok(staffPage.body.includes("This service friend is not taking bookings at the moment."));
    assert.equal((await env().api.delete(`${member}/ban`, admin.auth)).status, 200);
    assert.equal((await bookingForm(offer.id, slug, customer)).page.status, 200, "the ban lifted, it opens again");
    assert.equal((await profile(customer)).status, 200);
    assert.equal((await apiProfile(customer)).body.helper.takesBookings, true);

    const decided = await env().api.post(
      `/api/v1/helper-applications/${application.id}/decision`,
      { decision: "suspend", reason: "Complaints." },
      admin.auth,
    );
    assert.equal(decided.status, 200);
    assertRefused(await bookingForm(offer.id, slug, customer), "suspended as a service friend");
  });

  test("removed from a private community: the form's page says why; the profile is gone", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { visibility: "private", members: { member: 2 } });
    const [customer, helperUser] = members.member;
    const service = await createService(env(), slug, admin);
    const { user: helper } = await approvedHelper(env(), slug, admin, helperUser);
    const offer = await createOffer(env(), slug, helper, service.id);
    await speaks(env(), customer, "de");
    assert.equal((await bookingForm(offer.id, slug, customer)).page.status, 200);
    const removed = await env().api.delete(`/api/v1/communities/${slug}/members/${helper.id}`, admin.auth);
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assertRefused(await bookingForm(offer.id, slug, customer), "removed");
    assert.equal((await getPage(env(), `/c/${slug}/helpers/${helper.id}`, customer)).status, 404);
  });
});
