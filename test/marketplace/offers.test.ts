import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildUser } from "../helpers.ts";
import { setKudos } from "../reputation/support.ts";
import {
  ALL_WEEK,
  approvedHelper,
  bookingBody,
  createOffer,
  createService,
  describeMarket,
  market,
  passCourse,
  wifiCourse,
} from "./support.ts";

describeMarket("catalog, offers and search", (env) => {
  test("staff maintain the catalog; members cannot; names are unique", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const service = await createService(env(), slug, admin, { name: "Wi-Fi and network", maxPrice: 120.5 });
    assert.equal(service.maxPrice, 120.5);
    assert.equal(
      (
        await env().api.post(
          `/api/v1/communities/${slug}/services`,
          { name: "Hacking", maxPrice: 10 },
          members.member[0].auth,
        )
      ).status,
      403,
    );
    assert.equal(
      (
        await env().api.post(
          `/api/v1/communities/${slug}/services`,
          { name: "Wi-Fi and network", maxPrice: 10 },
          admin.auth,
        )
      ).status,
      409,
    );
    const list = await env().api.get(`/api/v1/communities/${slug}/services`);
    assert.equal(list.body.currency, "CHF");
    assert.deepEqual(
      list.body.services.map((s: any) => s.name),
      ["Wi-Fi and network"],
    );
  });

  test("an offer above the recommended maximum, with a negative price, or by a non-helper is refused", async () => {
    const { slug, admin, service, helper, other, community } = await market(env());
    const offer = { serviceId: service.id, priceUnit: "fixed", postalCodes: ["8001"], availability: ALL_WEEK };
    const above = await env().api.post(`/api/v1/communities/${slug}/offers`, { ...offer, price: 80.01 }, helper.auth);
    assert.equal(above.status, 422);
    assert.match(above.body.error.fields.price, /recommended maximum of CHF 80.00/);
    assert.equal(
      (await env().api.post(`/api/v1/communities/${slug}/offers`, { ...offer, price: -5 }, helper.auth)).status,
      422,
    );
    assert.equal(
      (await env().api.post(`/api/v1/communities/${slug}/offers`, { ...offer, price: 20 }, other.auth)).status,
      403,
      "not an approved helper",
    );
    assert.equal(
      (
        await env().api.post(
          `/api/v1/communities/${slug}/offers`,
          { ...offer, price: 20, availability: [{ day: 1, start: "12:00", end: "09:00" }] },
          helper.auth,
        )
      ).status,
      422,
    );
    const otherService = await createService(env(), (await buildCommunity(env())).slug, admin, {
      name: "Elsewhere",
    }).catch(() => null);
    assert.equal(otherService, null, "admin of one community is not staff of another");
    const count = await env()
      .deps.db.selectFrom("offers")
      .selectAll()
      .where("communityId", "=", community.id)
      .execute();
    assert.equal(count.length, 1, "only the offer made by market()");
  });

  test("a service requiring a certification refuses offers from helpers without it", async () => {
    const { slug, admin, helper } = await market(env());
    const course = await wifiCourse(env(), slug, admin);
    const wifi = await createService(env(), slug, admin, { name: "Wi-Fi", requiredCourseId: course.id });
    const refused = await env().api.post(
      `/api/v1/communities/${slug}/offers`,
      { serviceId: wifi.id, price: 40, priceUnit: "hour", postalCodes: ["8001"], availability: ALL_WEEK },
      helper.auth,
    );
    assert.equal(refused.status, 403);
    await passCourse(env(), course, helper);
    await createOffer(env(), slug, helper, wifi.id, { priceUnit: "hour", price: 40 });
    const found = await env().api.get(`/api/v1/communities/${slug}/offers?service=${wifi.id}`);
    assert.deepEqual(found.body.offers[0].helper.certifications, ["Wi-Fi basics"]);
  });

  test("search by service and postal code, sorted by distance, price or rating; suspended helpers disappear", async () => {
    const { slug, admin, service, helper, offer } = await market(env());
    const near = await approvedHelper(env(), slug, admin, await buildUser(env(), { name: "Nora Near" }));
    const far = await approvedHelper(env(), slug, admin, await buildUser(env(), { name: "Felix Far" }));
    await createOffer(env(), slug, near.user, service.id, {
      price: 70,
      postalCodes: [],
      place: { postalCode: "8004", radiusKm: 5 },
    });
    await createOffer(env(), slug, far.user, service.id, {
      price: 30,
      postalCodes: [],
      place: { postalCode: "8400", radiusKm: 30 },
    });
    const byDistance = await env().api.get(
      `/api/v1/communities/${slug}/offers?service=${service.id}&postalCode=8001&sort=distance`,
    );
    assert.equal(byDistance.status, 200);
    assert.deepEqual(
      byDistance.body.offers.map((o: any) => o.helper.name),
      ["Hanna Helper", "Nora Near", "Felix Far"],
    );
    assert.equal(byDistance.body.offers[0].distanceKm, 0, "a listed postal code");
    assert.ok(byDistance.body.offers[2].distanceKm > 15);
    const byPrice = await env().api.get(
      `/api/v1/communities/${slug}/offers?service=${service.id}&postalCode=8001&sort=price`,
    );
    assert.deepEqual(
      byPrice.body.offers.map((o: any) => o.price),
      [30, 50, 70],
    );
    const card = byPrice.body.offers[1].helper;
    assert.deepEqual(Object.keys(card).sort(), [
      "certifications",
      "completedJobs",
      "name",
      "photoUrl",
      "rank",
      "rating",
      "url",
      "userId",
    ]);
    assert.equal(card.rank, "Newcomer", "no kudos yet: the first rank");
    assert.deepEqual(card.rating, { average: null, count: 0 });
    const byPlace = await env().api.get(
      `/api/v1/communities/${slug}/offers?service=${service.id}&place=winterthur&sort=distance`,
    );
    assert.equal(byPlace.body.offers[0].helper.name, "Felix Far", "a place name stands for its postal code");
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/offers?place=Atlantis`)).status, 422);
    const names = async (place: string) => {
      const found = await env().api.get(`/api/v1/communities/${slug}/offers?service=${service.id}&place=${place}`);
      assert.equal(found.status, 200, place);
      return found.body.offers.map((o: { helper: { name: string } }) => o.helper.name);
    };
    const zurich = await names(encodeURIComponent("Zürich"));
    assert.ok(zurich.length > 0, "someone serves Zürich");
    assert.deepEqual(await names("zurich"), zurich, "a place is found without its diacritics");
    assert.deepEqual(await names("ZURICH"), zurich);
    const basel = await env().api.get(`/api/v1/communities/${slug}/offers?service=${service.id}&postalCode=4051`);
    assert.equal(basel.body.offers.length, 0, "nobody serves Basel");
    await env().api.post(
      `/api/v1/helper-applications/${far.application.id}/decision`,
      { decision: "suspend", reason: "Under review." },
      admin.auth,
    );
    const after = await env().api.get(`/api/v1/communities/${slug}/offers?service=${service.id}&postalCode=8001`);
    assert.ok(!after.body.offers.some((o: any) => o.helper.name === "Felix Far"));
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/helpers/${far.user.id}`)).status, 404);
    await setKudos(
      env(),
      (await env().deps.db.selectFrom("communities").select("id").where("slug", "=", slug).executeTakeFirstOrThrow())
        .id,
      helper.id,
      600,
    );
    const profile = await env().api.get(`/api/v1/communities/${slug}/helpers/${helper.id}`);
    assert.equal(profile.body.helper.rank, "Expert", "600 kudos: the community's rank for it");
    assert.deepEqual(
      profile.body.offers.map((o: any) => o.id),
      [offer.id],
    );
    assert.equal(profile.body.helper.bio, "I set up TV boxes and home Wi-Fi for my neighbours.");
    assert.ok(!("phone" in profile.body.helper), "the phone is not public");
    assert.equal(profile.body.helper.postalCode, null, "nor is the home postal code");
    const own = await env().api.get(`/api/v1/communities/${slug}/helpers/${helper.id}`, helper.auth);
    assert.equal(typeof own.body.helper.postalCode, "string", "the helper sees their own");
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/offers?sort=cheapest`)).status, 422);
  });

  test("a helper suspended in or banned from the community sells nothing until that ends", async () => {
    const { slug, admin, service, helper, offer, customer } = await market(env());
    const search = async () =>
      (await env().api.get(`/api/v1/communities/${slug}/offers?service=${service.id}&postalCode=8001`)).body.offers.map(
        (o: { id: number }) => o.id,
      );
    const publish = () =>
      env().api.post(
        `/api/v1/communities/${slug}/offers`,
        { serviceId: service.id, price: 40, priceUnit: "fixed", postalCodes: ["8001"], availability: ALL_WEEK },
        helper.auth,
      );
    const book = () => env().api.post(`/api/v1/offers/${offer.id}/bookings`, bookingBody(env()), customer.auth);
    assert.deepEqual(await search(), [offer.id]);

    const member = `/api/v1/communities/${slug}/members/${helper.id}`;
    const suspended = await env().api.put(`${member}/suspension`, { days: 7, reason: "Rude to customers" }, admin.auth);
    assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
    assert.equal((await publish()).status, 403);
    assert.deepEqual(await search(), [], "out of the search while suspended");
    assert.equal((await book()).status, 409);
    env().clock.advance(8 * 24 * 3600_000);
    assert.deepEqual(await search(), [offer.id], "back when the suspension ends");

    assert.equal((await env().api.put(`${member}/ban`, { reason: "Scamming customers" }, admin.auth)).status, 200);
    assert.equal((await publish()).status, 403);
    assert.deepEqual(await search(), [], "out of the search while banned");
    assert.equal((await book()).status, 409, "nor bookable");
    assert.equal((await env().api.delete(`${member}/ban`, admin.auth)).status, 200);
    assert.deepEqual(await search(), [offer.id], "back when the ban is lifted");
    assert.equal((await book()).status, 201);
  });

  test("a withdrawn offer leaves the search; only its helper or staff withdraw it", async () => {
    const { slug, offer, other, helper } = await market(env());
    assert.equal((await env().api.delete(`/api/v1/offers/${offer.id}`, other.auth)).status, 404);
    assert.equal((await env().api.delete(`/api/v1/offers/${offer.id}`, helper.auth)).status, 200);
    assert.equal((await env().api.get(`/api/v1/communities/${slug}/offers`)).body.offers.length, 0);
  });
});
