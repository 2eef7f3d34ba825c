import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity } from "../helpers.ts";
import { describeMarket } from "./support.ts";

describeMarket("marketplace settings: time zone spellings", (env) => {
  test("any spelling of a zone Intl reads is taken and stored by its canonical name", async () => {
    const { slug, admin } = await buildCommunity(env());
    const url = `/api/v1/communities/${slug}/marketplace-settings`;
    for (const [sent, stored] of [
      ["Etc/UTC", "UTC"],
      ["utc", "UTC"],
      ["europe/zurich", "Europe/Zurich"],
    ]) {
      const res = await env().api.patch(url, { timezone: sent }, admin.auth);
      assert.equal(res.status, 200, `${sent}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.settings.timezone, stored, sent);
    }
    const unknown = await env().api.patch(url, { timezone: "Mars/Olympus" }, admin.auth);
    assert.equal(unknown.status, 422);
    assert.ok(unknown.body.error.fields.timezone);
  });
});
