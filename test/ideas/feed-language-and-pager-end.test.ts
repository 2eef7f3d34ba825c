import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";

/** The HTML of one status's column on the board page ("" when the page shows none). */
function column(body: string, status: string): string {
  const start = body.indexOf(`<section class="idea-column" aria-labelledby="ideas-${status}">`);
  return start < 0 ? "" : body.slice(start, body.indexOf("</section>", start));
}

describeEachDatabase("ideas: the feed's language in shared caches, a status's board past its end", (env) => {
  test("the anonymous feed, in the visitor's browser language, is kept by shared caches per language", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const topic = await buildTopic(env(), slug, members.member[0], { kind: "idea", title: "Offline maps" });
    const set = { status: "planned" };
    assert.equal(
      (await env().api.put(`/api/v1/topics/${topic.id}/idea-status`, set, members.staff[0].auth)).status,
      200,
    );
    const english = await getPage(env(), `/c/${slug}/ideas/feed.atom`, null, { "accept-language": "en" });
    const german = await getPage(env(), `/c/${slug}/ideas/feed.atom`, null, { "accept-language": "de" });
    assert.match(english.body, /<title>Offline maps: Planned<\/title>/);
    assert.match(german.body, /<title>Offline maps: Geplant<\/title>/);
    for (const feed of [english, german]) {
      assert.equal(feed.headers["cache-control"], "public, max-age=300");
      // Without Accept-Language here a proxy or CDN hands the German feed to the next English reader.
      const vary = String(feed.headers.vary).split(/,\s*/);
      for (const header of ["Accept-Language", "Cookie", "Authorization"]) assert.ok(vary.includes(header), `${vary}`);
    }
  });

  test("a status's board asked past its last idea links back to the last page instead of an empty board", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    for (let i = 0; i < 5; i++)
      await buildTopic(env(), slug, members.member[0], { kind: "idea", title: `Paged idea number ${i}` });
    // A pager link followed after ideas were merged or declined meanwhile: fewer left than the link skips.
    const past = await getPage(env(), `/c/${slug}/ideas?status=new&limit=2&offset=6`);
    assert.equal(past.status, 200);
    const col = column(past.body, "new");
    assert.match(col, /No ideas here yet\./);
    assert.match(col, new RegExp(`<a href="/c/${slug}/ideas\\?status=new&amp;limit=2&amp;offset=3" rel="prev">`));
    assert.doesNotMatch(col, /rel="next"/);
    // The last page itself: its ideas, and the page before it.
    const last = column((await getPage(env(), `/c/${slug}/ideas?status=new&limit=2&offset=3`)).body, "new");
    assert.match(last, /Ideas 4 to 5 of 5/);
    assert.match(last, new RegExp(`<a href="/c/${slug}/ideas\\?status=new&amp;limit=2&amp;offset=1" rel="prev">`));
    // A board with no ideas at all still invites the first one.
    const { slug: empty } = await buildCommunity(env(), { members: { member: 1 } });
    const none = await getPage(env(), `/c/${empty}/ideas?status=new&offset=200`);
    assert.equal(none.status, 200);
    assert.equal(column(none.body, "new"), "");
    assert.doesNotMatch(none.body, /rel="prev"/);
  });
});
