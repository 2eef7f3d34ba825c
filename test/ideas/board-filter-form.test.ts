import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";

describeEachDatabase("ideas board: the filter form keeps the category the board is filtered by", (env) => {
  test("a category given by id or in capitals is the one selected, so sending the form again keeps it", async () => {
    const { slug, members, categories } = await buildCommunity(env(), {
      members: { member: 1 },
      categories: ["Mobile", "TV"],
    });
    const tv = categories[1];
    await buildTopic(env(), slug, members.member[0], { kind: "idea", title: "Dark mode for the TV guide" });
    for (const category of [String(tv.id), "TV", tv.slug]) {
      const page = await getPage(env(), `/c/${slug}/ideas?category=${category}&sort=recent`);
      assert.equal(page.status, 200, category);
      const select = page.body.match(/<select id="board-category"[\s\S]*?<\/select>/)?.[0] ?? "";
      const selected = [...select.matchAll(/<option\s+value="([^"]*)" selected>/g)].map((m) => m[1]);
      assert.deepEqual(selected, [tv.slug], `${category}: ${select}`);
    }
    const all = await getPage(env(), `/c/${slug}/ideas`);
    assert.match(all.body, /<option\s+value="" selected>All categories<\/option>/);
  });
});
