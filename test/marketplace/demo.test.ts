import { test } from "node:test";
import assert from "node:assert/strict";
import { seedDemoIfEmpty } from "../../src/app/demo.seed.ts";
import { describeMarket } from "./support.ts";

describeMarket("demo service friends", (env) => {
  test("the demo community has approved helpers with offers, completed bookings and reviews", async () => {
    await seedDemoIfEmpty(env().deps);
    const search = await env().api.get("/api/v1/communities/demo/offers?postalCode=8001&sort=rating");
    assert.equal(search.status, 200);
    const names = search.body.offers.map((o: any) => o.helper.name);
    assert.deepEqual([...new Set(names)].sort(), ["Hanna", "Luca"]);
    const hanna = search.body.offers.find((o: any) => o.helper.name === "Hanna").helper;
    assert.deepEqual(hanna.rating, { average: 5, count: 2 });
    assert.equal(hanna.completedJobs, 2);
    assert.deepEqual(hanna.certifications, ["TV basics"]);
    const photo = await env().app.inject({ method: "GET", url: hanna.photoUrl });
    assert.equal(photo.statusCode, 200);
  });
});
