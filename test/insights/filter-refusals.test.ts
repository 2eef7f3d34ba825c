import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";

// Filters the page cannot show answer 422 with the page itself: the default range's figures, and the
// filter form holding what was asked for, saying why by each field in the reader's language.
describeEachDatabase("insights page: refused filters", (env) => {
  test("a range the wrong way round, an unknown interval or category: 422, the form says why by the field", async () => {
    const { slug, admin } = await buildCommunity(env());
    const cases = [
      ["range=custom&from=2026-02-01&to=2026-01-01", "i-from", /Choose real days, the first not after the last/],
      ["range=custom&from=2020-01-01&to=2026-01-01", "i-from", /at most two years apart/],
      ["from=2026-02-30", "i-from", /Choose real days/],
      ["interval=year", "i-interval", /Choose one from the list\./],
      ["category=999999", "i-category", /Choose one from the list\./],
    ] as const;
    for (const [query, field, message] of cases) {
      const res = await getPage(env(), `/c/${slug}/insights?${query}`, admin);
      assert.equal(res.status, 422, query);
      assert.match(res.body, /<h1>Insights<\/h1>/, `${query}: the page, not an error page`);
      assert.match(res.body, /<div class="form-alert" role="alert">/, query);
      assert.match(res.body, new RegExp(`id="${field}"[^>]*aria-invalid="true"`), query);
      assert.match(res.body, message, query);
    }
    const asked = await getPage(env(), `/c/${slug}/insights?range=custom&from=2026-02-01&to=2026-01-01`, admin);
    assert.match(asked.body, /id="i-from"[^>]*value="2026-02-01"|value="2026-02-01"[^>]*id="i-from"/, "what was asked");

    const german = await getPage(env(), `/c/${slug}/insights?interval=year`, admin, { "accept-language": "de" });
    assert.equal(german.status, 422);
    assert.match(german.body, /Wähle einen Eintrag aus der Liste\./);
  });
});
