import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";

describeEachDatabase("ideas board: a column showing the API's most", (env) => {
  test("a column cut at its limit of 200 still links on to the rest of its status", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    const first = await buildTopic(env(), slug, members.member[0], { kind: "idea", title: "Idea number zero" });
    // 200 more ideas like it, written at once (posting each through the API would take minutes).
    const { id: _id, ...row } = await env()
      .deps.db.selectFrom("topics")
      .selectAll()
      .where("id", "=", first.id)
      .executeTakeFirstOrThrow();
    const copies = Array.from({ length: 200 }, (_, i) => ({ ...row, title: `Idea copy ${i}` }));
    await env().deps.db.insertInto("topics").values(copies).execute();

    const api = (await env().api.get(`/api/v1/communities/${slug}/ideas?limit=200`)).body;
    assert.equal(api.counts.new, 201);
    assert.equal(api.items.length, 200);
    const page = await getPage(env(), `/c/${slug}/ideas?limit=200`);
    assert.equal(page.status, 200);
    // 200 of 201 shown: the one left out is reached through the board of "new" alone, which pages on.
    const more = page.body.match(/<p class="idea-more">.*?<\/p>/)?.[0];
    assert.equal(
      more,
      `<p class="idea-more"><a href="/c/${slug}/ideas?status=new&amp;limit=200">Show the first 200 of 201</a></p>`,
    );
  });
});
