import { test } from "node:test";
import assert from "node:assert/strict";
import { seedDemoIfEmpty } from "../../src/app/demo.seed.ts";
import { demoBookingDays } from "../../src/marketplace/marketplace.seed.ts";
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

test("the demo's bookings fall on days its offers are available, whatever day it is seeded on", () => {
  const day = 24 * 60 * 60 * 1000;
  // Friday 2026-12-04: "a week ago" and the two days after it reached Sunday 2026-11-29.
  const friday = Date.parse("2026-12-04T09:30:00Z");
  for (let n = 0; n < 7; n++) {
    const now = friday + n * day;
    const days = demoBookingDays(now, 3);
    assert.equal(days.length, 3);
    assert.deepEqual([...days].sort(), days, "oldest first");
    assert.equal(new Set(days).size, 3);
    for (const d of days) {
      const at = Date.parse(`${d}T09:00:00Z`);
      assert.notEqual(new Date(at).getUTCDay(), 0, `${d} is a Sunday`);
      assert.ok(at < now && now - at <= 8 * day, `${d} is within the past week of ${new Date(now).toISOString()}`);
    }
  }
});
