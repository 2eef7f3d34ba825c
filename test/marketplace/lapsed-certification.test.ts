import { test } from "node:test";
import assert from "node:assert/strict";
import type { TestEnv, TestUser } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";
import {
  bookingBody,
  createOffer,
  createService,
  describeMarket,
  expireCertification,
  market,
  passCourse,
  wifiCourse,
} from "./support.ts";

const NOT_CERTIFIED_DE = "Dieser Service-Freund ist für diesen Dienst zurzeit nicht zertifiziert.";

const speaks = (env: TestEnv, user: TestUser, locale: string) =>
  env.deps.db.updateTable("users").set({ locale }).where("id", "=", user.id).execute();

/**
 * An offer whose helper's required certification has expired is not booked (409): its slot picker
 * lists nothing, the booking form's page answers that same 409 explained in the reader's language,
 * and the helper's profile no longer shows it, as the search does not; their other offers stay.
 */
describeMarket("an offer whose required certification expired", (env) => {
  test("no free slots, no booking form, not on the helper's profile", async () => {
    const { slug, admin, helper, customer, offer: tvOffer } = await market(env());
    const course = await wifiCourse(env(), slug, admin);
    await passCourse(env(), course, helper);
    const wifi = await createService(env(), slug, admin, { name: "Wi-Fi", requiredCourseId: course.id });
    const offer = await createOffer(env(), slug, helper, wifi.id);
    await speaks(env(), customer, "de");
    const slots = () => env().api.get(`/api/v1/offers/${offer.id}/slots`, customer.auth);
    const profile = () => env().api.get(`/api/v1/communities/${slug}/helpers/${helper.id}`, customer.auth);
    assert.ok((await slots()).body.slots.length > 0, "certified: free slots");
    assert.equal((await getPage(env(), `/c/${slug}/offers/${offer.id}/book`, customer)).status, 200);

    await expireCertification(env(), helper.id, course.id);
    const booked = await env().api.post(`/api/v1/offers/${offer.id}/bookings`, bookingBody(env()), customer.auth);
    assert.equal(booked.status, 409, JSON.stringify(booked.body));
    assert.deepEqual((await slots()).body.slots, [], "no slots to pick for a booking that is refused");
    const page = await getPage(env(), `/c/${slug}/offers/${offer.id}/book`, customer);
    assert.equal(page.status, booked.status, "the form's page answers as the booking does");
    assert.ok(page.body.includes(NOT_CERTIFIED_DE), "the reason, in the reader's language");
    assert.ok(!page.body.includes('name="slot"'), "no form to fill in");
    const offers = (await profile()).body.offers.map((o: { id: number }) => o.id);
    assert.deepEqual(offers, [tvOffer.id], "the profile keeps only the offer that may be booked");
    assert.equal((await getPage(env(), `/c/${slug}/offers/${tvOffer.id}/book`, customer)).status, 200);
  });
});
