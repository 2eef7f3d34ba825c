import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";

// IANA names are matched without regard to case ("utc", "europe/zurich"): each zone is stored by
// its one canonical name, so another spelling of the same zone is no change.
describeEachDatabase("time zones are stored by their canonical name", (env) => {
  test("insights and community settings keep one spelling per zone", async () => {
    const { slug, admin } = await buildCommunity(env());
    const insights = `/api/v1/communities/${slug}/insights/settings`;
    for (const [sent, stored] of [
      ["utc", "UTC"],
      ["Etc/UTC", "UTC"],
      ["europe/zurich", "Europe/Zurich"],
    ]) {
      const saved = await env().api.put(insights, { timezone: sent }, admin.auth);
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal((await env().api.get(insights, admin.auth)).body.timezone, stored, sent);
      const community = await env().api.patch(`/api/v1/communities/${slug}`, { timeZone: sent }, admin.auth);
      assert.equal(community.status, 200);
      assert.equal(community.body.community.timeZone, stored, sent);
    }
  });
});
