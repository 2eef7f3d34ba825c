import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { browse, getPage } from "../web/web-helpers.ts";

describeEachDatabase("support settings page", (env) => {
  test("admins set each category's scope, expectation and deadlines, routing and the webhook through CSRF forms; others are refused", async () => {
    const { slug, admin, categories, members } = await buildCommunity(env(), {
      categories: ["Billing"],
      members: { member: 1, staff: 1 },
    });
    const [billing] = categories;
    const base = `/c/${slug}/admin/support`;
    for (const user of [members.member[0], members.staff[0]])
      assert.equal((await getPage(env(), base, user)).status, 403);
    assert.equal((await getPage(env(), base)).status, 401);

    const browser = await browse(env(), admin);
    const page = await browser.get(base);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1>Support settings of Community \d+<\/h1>/);
    assert.match(page.body, new RegExp(`<label for="cat${billing.id}-scope">Who answers</label>`));

    const bad = await browser.submit(`${base}/categories/${billing.id}`, {
      scope: "private",
      expectation: "",
      firstResponseMinutes: "soon",
      resolutionMinutes: "",
    });
    assert.equal(bad.status, 422);
    assert.match(
      bad.body,
      new RegExp(`<a href="#cat${billing.id}-firstResponseMinutes">`),
      "the alert links to the field",
    );
    assert.match(bad.body, /aria-invalid="true"/);

    const saved = await browser.submit(`${base}/categories/${billing.id}`, {
      scope: "private",
      expectation: "Billing answers within a day.",
      firstResponseMinutes: "240",
      resolutionMinutes: "",
    });
    assert.equal(saved.status, 303);
    const category = (await env().api.get(`/api/v1/communities/${slug}/categories`, admin.auth)).body.categories[0];
    assert.deepEqual(
      [category.scope, category.expectation, category.firstResponseMinutes, category.resolutionMinutes],
      ["private", "Billing answers within a day.", 240, null],
    );
    // Fields the form did not send keep their values (they were reset); a post with none is refused.
    assert.equal((await browser.submit(`${base}/categories/${billing.id}`, { resolutionMinutes: "600" })).status, 303);
    const empty = await browser.submit(`${base}/categories/${billing.id}`, {});
    assert.equal(empty.status, 422);
    assert.match(empty.body, /Change at least one field\./);
    const kept = (await env().api.get(`/api/v1/communities/${slug}/categories`, admin.auth)).body.categories[0];
    assert.deepEqual(
      [kept.scope, kept.expectation, kept.firstResponseMinutes, kept.resolutionMinutes],
      ["private", "Billing answers within a day.", 240, 600],
    );
    // A blank expectation or deadline clears it.
    const cleared = { scope: "private", expectation: "", firstResponseMinutes: "", resolutionMinutes: "600" };
    assert.equal((await browser.submit(`${base}/categories/${billing.id}`, cleared)).status, 303);
    const blank = (await env().api.get(`/api/v1/communities/${slug}/categories`, admin.auth)).body.categories[0];
    assert.deepEqual([blank.expectation, blank.firstResponseMinutes], ["", null]);

    assert.equal(
      (await browser.submit(`${base}/routing`, { experts: "2", rerouteAfterMinutes: "120", maxOpen: "4" })).status,
      303,
    );
    assert.deepEqual((await env().api.get(`/api/v1/communities/${slug}/routing/settings`, admin.auth)).body.settings, {
      experts: 2,
      rerouteAfterMinutes: 120,
      maxOpen: 4,
    });
    // A field left blank keeps its stored value, as a field left out of the API's JSON does (was a 500).
    assert.equal(
      (await browser.submit(`${base}/routing`, { experts: "3", rerouteAfterMinutes: "", maxOpen: "5" })).status,
      303,
    );
    assert.deepEqual((await env().api.get(`/api/v1/communities/${slug}/routing/settings`, admin.auth)).body.settings, {
      experts: 3,
      rerouteAfterMinutes: 120,
      maxOpen: 5,
    });

    // An address of this server's own network is refused with words that say why, in the reader's language.
    const own = await browser.submit(`${base}/webhook`, {
      url: "http://127.0.0.1:9/hook",
      secret: "",
      timeoutSeconds: "5",
      active: "1",
    });
    assert.equal(own.status, 422);
    assert.match(own.body, /id="url-error">Use a public address: this server does not call its own network\./);
    const notUrl = await browser.submit(`${base}/webhook`, {
      url: "not a url",
      secret: "",
      timeoutSeconds: "5",
      active: "1",
    });
    assert.equal(notUrl.status, 422);
    assert.match(notUrl.body, /id="url-error">Enter a web address starting with http:\/\/ or https:\/\/\./);
    assert.equal(
      (
        await browser.submit(`${base}/webhook`, {
          url: "https://helpdesk.example.com/hook",
          secret: "",
          timeoutSeconds: "3",
          active: "1",
        })
      ).status,
      303,
    );
    const webhook = (await env().api.get(`/api/v1/communities/${slug}/webhook`, admin.auth)).body.webhook;
    assert.deepEqual(
      [webhook.url, webhook.timeoutSeconds, webhook.active],
      ["https://helpdesk.example.com/hook", 3, true],
    );
    assert.ok((await browser.get(base)).body.includes(webhook.secret), "admins see the signing secret");
    assert.equal((await browser.submit(`${base}/webhook/delete`)).status, 303);
    assert.deepEqual((await env().api.get(`/api/v1/communities/${slug}/webhook`, admin.auth)).body, { webhook: null });

    const noToken = await env().app.inject({
      method: "POST",
      url: `${base}/routing`,
      headers: { cookie: browser.cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: "experts=1",
    });
    assert.equal(noToken.statusCode, 403);
    assert.match((await getPage(env(), base, admin, { "accept-language": "de" })).body, /Support-Einstellungen von/);
    assert.match((await getPage(env(), `/c/${slug}`, admin)).body, new RegExp(`href="${base}">Support settings</a>`));
  });
});
