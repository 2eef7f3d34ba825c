import { test } from "node:test";
import assert from "node:assert/strict";
import { browse } from "../web/web-helpers.ts";
import { ALL_WEEK, describeMarket, market } from "./support.ts";

/** "Two decimals" tolerates float noise, so a tiny positive amount once passed as a price of 0 cents. */
const TINY = 0.000000001;

describeMarket("prices in whole cents", (env) => {
  test("an offer's price or a service's maximum that comes to less than one cent is refused", async () => {
    const { slug, admin, helper, service } = await market(env());
    const offer = (price: number) =>
      env().api.post(
        `/api/v1/communities/${slug}/offers`,
        { serviceId: service.id, price, priceUnit: "fixed", postalCodes: ["8001"], availability: ALL_WEEK },
        helper.auth,
      );
    const tinyOffer = await offer(TINY);
    assert.equal(tinyOffer.status, 422, JSON.stringify(tinyOffer.body));
    assert.equal(tinyOffer.body.error.code, "validation_failed");
    assert.equal(tinyOffer.body.error.fields.price, "The price must be more than zero.");

    const services = `/api/v1/communities/${slug}/services`;
    const tinyService = await env().api.post(services, { name: "Router help", maxPrice: TINY }, admin.auth);
    assert.equal(tinyService.status, 422, JSON.stringify(tinyService.body));
    assert.equal(tinyService.body.error.fields.maxPrice, "The price must be more than zero.");

    // One cent is the smallest price.
    const cent = await offer(0.01);
    assert.equal(cent.status, 201, JSON.stringify(cent.body));
    assert.equal(cent.body.offer.price, 0.01);

    // The form says it in the reader's language.
    const desk = await browse(env(), admin);
    const form = await desk.submit(`/c/${slug}/service-friends/services`, {
      name: "Router help",
      maxPrice: "0.000000001",
    });
    assert.equal(form.status, 422);
    assert.match(form.body, /id="maxPrice-error">Use a number of at least 0.01./);
  });
});
