import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";

describeEachDatabase("ideas board: the category filter", (env) => {
  test("a champions-only category is as unknown to other readers as a category that does not exist", async () => {
    const { slug, admin, members, categories } = await buildCommunity(env(), {
      members: { member: 1, moderator: 1 },
      categories: ["General", "Champions lounge"],
    });
    const lounge = categories[1];
    await env().deps.db.updateTable("categories").set({ championsOnly: 1 }).where("id", "=", lounge.id).execute();
    const beta = await buildTopic(env(), slug, admin, { kind: "idea", title: "Beta firmware", categoryId: lounge.id });
    const [member] = members.member;
    const board = (category: string) => `/api/v1/communities/${slug}/ideas?category=${category}`;

    const unknown = await env().api.get(board("no-such-category"));
    assert.equal(unknown.status, 422);
    for (const category of [lounge.slug, String(lounge.id)]) {
      for (const auth of [undefined, member.auth]) {
        const res = await env().api.get(board(category), auth);
        assert.equal(res.status, 422, `${category}: ${JSON.stringify(res.body)}`);
        assert.deepEqual(res.body.error, unknown.body.error, "the same answer as an unknown category");
      }
      for (const user of [undefined, member]) {
        const page = await getPage(env(), `/c/${slug}/ideas?category=${category}`, user);
        assert.equal(page.status, 422, category);
      }
    }
    const moderator = await env().api.get(board(lounge.slug), members.moderator[0].auth);
    assert.equal(moderator.status, 200, JSON.stringify(moderator.body));
    assert.deepEqual(
      moderator.body.items.map((i: any) => i.id),
      [beta.id],
    );
    assert.equal((await env().api.get(board(categories[0].slug))).status, 200);
  });
});
