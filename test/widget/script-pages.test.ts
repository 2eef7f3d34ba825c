import { test } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import zlib from "node:zlib";
import { buildCommunity, buildUser, describeEachDatabase } from "../helpers.ts";
import { browse, getPage } from "../web/web-helpers.ts";

describeEachDatabase("the widget's script, the prefilled new-topic form and the origins form", (env) => {
  test("/c/:slug/widget.js is a small script with the community's texts in four languages", async () => {
    const { slug, community } = await buildCommunity(env());
    const plain = await getPage(env(), `/c/${slug}/widget.js`);
    assert.equal(plain.status, 200);
    assert.equal(plain.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal(plain.headers["cache-control"], "public, max-age=300");
    assert.doesNotThrow(() => new vm.Script(plain.body), "it is valid JavaScript");
    assert.ok(!plain.body.includes("__WIDGET_CONFIG__"), "the configuration is in place");
    assert.ok(plain.body.includes(`"titleMax":200`), "the client cuts what was typed to the longest title");
    for (const text of [
      `"slug":"${slug}"`,
      `Search the ${community.name} community`,
      "Die Community fragen",
      "Demander à la communauté",
      "Chiedi alla community",
    ])
      assert.ok(plain.body.includes(text), text);
    assert.ok(!plain.body.includes("widget.settings"), "the settings page's texts stay on the server");

    const gzip = await env().app.inject({
      method: "GET",
      url: `/c/${slug}/widget.js`,
      headers: { "accept-encoding": "gzip" },
    });
    assert.equal(gzip.headers["content-encoding"], "gzip");
    assert.equal(zlib.gunzipSync(gzip.rawPayload).toString(), plain.body);
    assert.ok(gzip.rawPayload.length < 4096, `a few kilobytes: ${gzip.rawPayload.length} bytes gzipped`);
    assert.ok(plain.body.length < 12_000, `${plain.body.length} bytes plain`);

    const secret = await buildCommunity(env(), { visibility: "private" });
    assert.equal((await getPage(env(), `/c/${secret.slug}/widget.js`)).status, 404);
    assert.equal((await getPage(env(), "/c/no-such-community/widget.js")).status, 404);
  });

  test("widget.js has an ETag: a host page's visitor holding it gets 304; renamed, the community's script changes", async () => {
    const { slug, admin } = await buildCommunity(env());
    const url = `/c/${slug}/widget.js`;
    const first = await env().app.inject({ method: "GET", url });
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[\w-]+"$/);
    const again = await env().app.inject({ method: "GET", url, headers: { "if-none-match": etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, "");
    const gzip = await env().app.inject({ method: "GET", url, headers: { "accept-encoding": "gzip" } });
    assert.equal(gzip.headers.etag, `${etag.slice(0, -1)}-gzip"`, "each encoding its own ETag");
    const gzipAgain = await env().app.inject({
      method: "GET",
      url,
      headers: { "accept-encoding": "gzip", "if-none-match": String(gzip.headers.etag) },
    });
    assert.equal(gzipAgain.statusCode, 304);

    const renamed = await env().api.patch(`/api/v1/communities/${slug}`, { name: "Fibre Help" }, admin.auth);
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    const after = await env().app.inject({ method: "GET", url, headers: { "if-none-match": etag } });
    assert.equal(after.statusCode, 200, "the old script is not the community's any more");
    assert.ok(after.body.includes("Search the Fibre Help community"));
    assert.notEqual(after.headers.etag, etag);
  });

  test("the new-topic form starts with the title the widget carries; visitors log in first and come back", async () => {
    const { slug } = await buildCommunity(env());
    const member = await buildUser(env());
    const asked = `/c/${slug}/new?title=${encodeURIComponent("Router  <blinks>\nred")}&visit=widgetvisit0001`;
    const form = await getPage(env(), asked, member);
    assert.equal(form.status, 200);
    assert.match(form.body, /<input id="title" name="title"[^>]* value="Router &lt;blinks&gt; red"/);
    const long = await getPage(env(), `/c/${slug}/new?title=${"x".repeat(500)}`, member);
    assert.match(long.body, new RegExp(`value="${"x".repeat(200)}"`), "cut to the longest title");
    const odd = await getPage(env(), `/c/${slug}/new?title=a&title=b`, member);
    assert.equal(odd.status, 200, "an odd query leaves the form empty rather than failing");

    const anonymous = await getPage(env(), asked);
    assert.equal(anonymous.status, 401);
    assert.ok(anonymous.body.includes(`/login?next=${encodeURIComponent(asked).replace(/'/g, "%27")}`));
  });

  test("community admins set the origins on the settings page; others are refused", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { moderator: 1 } });
    const asAdmin = await browse(env(), admin);
    const page = await asAdmin.get(`/c/${slug}/settings`);
    assert.equal(page.status, 200);
    assert.ok(
      page.body.includes(`&lt;script src=&quot;${env().deps.config.baseUrl}/c/${slug}/widget.js&quot; async&gt;`),
      "the tag to paste",
    );
    const saved = await asAdmin.submit(`/c/${slug}/settings/origins`, {
      allowedOrigins: "https://help.example.com/\n\n  http://127.0.0.1:8080  \n",
    });
    assert.equal(saved.status, 303);
    const api = `/api/v1/communities/${slug}/allowed-origins`;
    assert.deepEqual((await env().api.get(api, admin.auth)).body.allowedOrigins, [
      "http://127.0.0.1:8080",
      "https://help.example.com",
    ]);
    assert.match(
      (await asAdmin.get(`/c/${slug}/settings`)).body,
      /http:\/\/127\.0\.0\.1:8080\nhttps:\/\/help\.example\.com<\/textarea>/,
    );

    const invalid = await asAdmin.submit(`/c/${slug}/settings/origins`, {
      allowedOrigins: "https://ok.example.com\nhelp.example.com/faq",
    });
    assert.equal(invalid.status, 422);
    assert.match(
      invalid.body,
      /aria-invalid="true"[^>]*>https:\/\/ok\.example\.com\nhelp\.example\.com\/faq<\/textarea>/,
    );
    assert.ok(invalid.body.includes("Not an origin: help.example.com/faq. Write each like https://help.example.com."));
    assert.equal((await env().api.get(api, admin.auth)).body.allowedOrigins.length, 2, "nothing saved");

    const asModerator = await browse(env(), members.moderator[0]);
    const refused = await asModerator.submit(`/c/${slug}/settings/origins`, { allowedOrigins: "https://x.example" });
    assert.equal(refused.status, 403);
    assert.equal((await env().api.get(api, admin.auth)).body.allowedOrigins.length, 2);
  });
});
