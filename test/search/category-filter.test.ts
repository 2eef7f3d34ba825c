import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { postIndexed, roomyLimits, searchUrl, titles } from "./support.ts";

describeEachDatabase(
  "search: the category filter",
  (env) => {
    test("a champions-only category is as unknown to other readers as a category that does not exist", async () => {
      const { slug, admin, members, categories } = await buildCommunity(env(), {
        members: { member: 2, moderator: 1 },
        categories: ["General", "Champions lounge"],
      });
      const lounge = categories[1];
      await env().deps.db.updateTable("categories").set({ championsOnly: 1 }).where("id", "=", lounge.id).execute();
      const [asker, helper] = members.member;
      await postIndexed(env(), slug, asker, helper, { title: "Router keeps restarting at night" });
      await postIndexed(env(), slug, admin, admin, { title: "Router beta firmware notes", categoryId: lounge.id });

      const unknown = await env().api.get(searchUrl(slug, { q: "router", category: "no-such-category" }));
      assert.equal(unknown.status, 422);
      for (const category of [lounge.slug, String(lounge.id)]) {
        for (const auth of [undefined, asker.auth]) {
          const res = await env().api.get(searchUrl(slug, { q: "router", category }), auth);
          assert.equal(res.status, 422, `${category}: ${JSON.stringify(res.body)}`);
          assert.deepEqual(res.body.error, unknown.body.error, "the same answer as an unknown category");
        }
        const page = await env().app.inject({ method: "GET", url: `/c/${slug}/search?q=router&category=${category}` });
        assert.equal(page.statusCode, 422, category);
      }
      const moderator = await env().api.get(
        searchUrl(slug, { q: "router", category: lounge.slug }),
        members.moderator[0].auth,
      );
      assert.equal(moderator.status, 200, JSON.stringify(moderator.body));
      assert.deepEqual(titles(moderator.body), ["Router beta firmware notes"]);
      const general = await env().api.get(searchUrl(slug, { q: "router", category: categories[0].slug }));
      assert.equal(general.status, 200);
    });
  },
  roomyLimits,
);
