import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildReply, buildTopic, describeEachDatabase, TEST_PASSWORD } from "../helpers.ts";
import { anonymous, assertCached, canonical } from "./page-cache-support.ts";

describeEachDatabase("anonymous page cache, more changes", (env) => {
  test("an account deleted after its membership ended leaves no cached page with its name", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 2, moderator: 1 } });
    const [asker, helper] = members.member;
    const mod = members.moderator[0];
    const topic = await buildTopic(env(), slug, asker, { title: "Router blinks red after the update" });
    await buildReply(env(), topic.id, helper, "Unplug it for thirty seconds.");
    const page = await canonical(env(), topic.url);
    // The helper belongs to another community too, so the deletion's commit names a community.
    const elsewhere = await buildCommunity(env());
    assert.equal((await env().api.post(`/api/v1/communities/${elsewhere.slug}/join`, {}, helper.auth)).status, 200);
    // Removed from this one, the helper's reply stays, credited to their name.
    const removed = await env().api.request(
      "DELETE",
      `/api/v1/communities/${slug}/members/${helper.id}`,
      { reason: "Off topic" },
      mod.auth,
    );
    assert.equal(removed.status, 200);
    assert.match((await assertCached(env(), page)).body, new RegExp(`>${helper.name}</a>`));

    assert.equal(
      (await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, helper.auth)).status,
      204,
    );
    const after = await anonymous(env(), page);
    assert.notEqual(after.headers["x-page-cache"], "hit");
    assert.match(after.body, /Deleted member/);
    assert.doesNotMatch(after.body, new RegExp(`>${helper.name}</a>`));
  });

  test("a HEAD request's page is not kept for the GETs that follow", async () => {
    const { slug, admin } = await buildCommunity(env());
    const topic = await buildTopic(env(), slug, admin, { title: "Router blinks red after the update" });
    for (const url of [`/c/${slug}`, `/c/${slug}/categories`, await canonical(env(), topic.url)]) {
      const head = await env().app.inject({ method: "HEAD", url });
      assert.equal(head.statusCode, 200);
      assert.equal(head.body, "");
      const get = await anonymous(env(), url);
      assert.notEqual(get.headers["x-page-cache"], "hit", `${url}: the HEAD's page was not kept`);
      // The page a GET renders: its login link brings the visitor back here.
      assert.match(get.body, new RegExp(`<a href="/login\\?next=${encodeURIComponent(url)}">`));
      const again = await anonymous(env(), url);
      assert.equal(again.headers["x-page-cache"], "hit");
      assert.equal(again.body, get.body);
    }
  });

  test("a coding refused with whitespace before its ';' is not used", async () => {
    const { slug } = await buildCommunity(env());
    const url = `/c/${slug}`;
    const star = await anonymous(env(), url, { "accept-encoding": "*, br ;q=0" });
    assert.equal(star.status, 200);
    assert.equal(star.headers["content-encoding"], "gzip", "brotli was refused, gzip is acceptable through *");
    const none = await anonymous(env(), url, { "accept-encoding": "gzip ;q=0, br ; q=0" });
    assert.equal(none.headers["content-encoding"], undefined, "both were refused");
    const spaced = await anonymous(env(), url, { "accept-encoding": "gzip ;q=1" });
    assert.equal(spaced.headers["content-encoding"], "gzip");
  });
});
