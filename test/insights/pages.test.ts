import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { browse, getPage, postForm } from "../web/web-helpers.ts";

describeEachDatabase("insights page", (env) => {
  test("staff, moderators and admins see it (linked from the community); members 403, anonymous 401", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, staff: 1, moderator: 1 } });
    for (const user of [members.staff[0], members.moderator[0], admin]) {
      const res = await getPage(env(), `/c/${slug}/insights`, user);
      assert.equal(res.status, 200);
      assert.match(res.body, /<h1>Insights<\/h1>/);
      assert.match(
        res.body,
        /role="img" aria-labelledby="chart-topics-title chart-topics-desc"|No values in this range/,
      );
      assert.match(res.body, new RegExp(`href="/api/v1/communities/${slug}/insights.csv\\?from=`));
      assert.match((await getPage(env(), `/c/${slug}`, user)).body, new RegExp(`href="/c/${slug}/insights"`));
    }
    assert.equal((await getPage(env(), `/c/${slug}/insights`, members.member[0])).status, 403);
    assert.doesNotMatch((await getPage(env(), `/c/${slug}`, members.member[0])).body, /\/insights"/);
    assert.equal((await getPage(env(), `/c/${slug}/insights`)).status, 401);
    const week = await getPage(env(), `/c/${slug}/insights?range=7&interval=week`, admin);
    assert.equal(week.status, 200);
    assert.match(week.body, /<option value="7" selected>/);
    assert.equal(
      (await getPage(env(), `/c/${slug}/insights?range=custom&from=2026-02-01&to=2026-01-01`, admin)).status,
      422,
    );
    // Who may see the page is settled before the query is read: bad dates do not get a member further.
    for (const query of [
      "from=2026-02-30",
      "interval=year",
      "category=abc",
      "range=custom&from=2026-02-01&to=2026-01-01",
    ]) {
      assert.equal((await getPage(env(), `/c/${slug}/insights?${query}`, members.member[0])).status, 403, query);
      assert.equal((await getPage(env(), `/c/${slug}/insights?${query}`)).status, 401, query);
    }
  });

  test("a private-scope category is charted for staff, not for moderators, who may not read its topics", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { staff: 1, moderator: 1 } });
    const billing = await env().api.post(
      `/api/v1/communities/${slug}/categories`,
      { name: "Billing disputes", scope: "private" },
      admin.auth,
    );
    assert.equal(billing.status, 201);
    const api = `/api/v1/communities/${slug}/insights?category=${billing.body.category.id}`;
    assert.equal((await env().api.get(api, members.staff[0].auth)).status, 200);
    const refused = await env().api.get(api, members.moderator[0].auth);
    assert.equal(refused.status, 422);
    assert.deepEqual(Object.keys(refused.body.error.fields), ["category"]);
    assert.match((await getPage(env(), `/c/${slug}/insights`, members.staff[0])).body, /Billing disputes/);
    assert.doesNotMatch((await getPage(env(), `/c/${slug}/insights`, members.moderator[0])).body, /Billing disputes/);
  });

  test("the ideas pipeline shows beside the other figures: ideas per status and days from new to done", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1, moderator: 1 } });
    const api = `/api/v1/communities/${slug}/insights`;
    assert.equal((await env().api.get(api, admin.auth)).body.ideas.counts.done, 0);
    assert.doesNotMatch((await getPage(env(), `/c/${slug}/insights`, admin)).body, /id="ideas-title"/);
    const idea = await buildTopic(env(), slug, members.member[0], { kind: "idea", title: "Let us share data plans" });
    await buildTopic(env(), slug, members.member[0], { kind: "idea", title: "Dark mode for the customer app" });
    env().clock.advance(3 * 24 * 60 * 60_000);
    const done = await env().api.put(`/api/v1/topics/${idea.id}/idea-status`, { status: "done" }, admin.auth);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const figures = (await env().api.get(api, members.moderator[0].auth)).body.ideas;
    assert.equal(figures.counts.done, 1);
    assert.equal(figures.counts.new, 1);
    assert.equal(figures.newToDone.medianDays, 3);
    const page = await getPage(env(), `/c/${slug}/insights`, members.moderator[0]);
    assert.match(page.body, /<h2 id="ideas-title">Ideas<\/h2>/);
    assert.match(page.body, /Median time from new to done<\/span>\s*<strong class="figure-value">3 days<\/strong>/);
    const german = await getPage(env(), `/c/${slug}/insights`, members.moderator[0], { "accept-language": "de" });
    assert.match(german.body, /<strong class="figure-value">3 Tage<\/strong>/);
    // Another idea done after a day and a half: the median of 3 and 1.5 days in German numbers.
    const second = await buildTopic(env(), slug, members.member[0], {
      kind: "idea",
      title: "Share the router password",
    });
    env().clock.advance(36 * 60 * 60_000);
    await env().api.put(`/api/v1/topics/${second.id}/idea-status`, { status: "done" }, admin.auth);
    const both = await getPage(env(), `/c/${slug}/insights`, members.moderator[0], { "accept-language": "de" });
    assert.match(both.body, /<strong class="figure-value">2,3 Tage<\/strong>/);
  });

  test("a chart of one value says so to screen readers: one value, not 1 values, in every language", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    await buildTopic(env(), slug, members.member[0], { title: "Router blinks red" });
    const day = new Date(env().clock.now()).toISOString().slice(0, 10);
    const desc = async (from: string, language: string) => {
      const page = await getPage(env(), `/c/${slug}/insights?range=custom&from=${from}&to=${day}`, admin, {
        "accept-language": language,
      });
      assert.equal(page.status, 200);
      const match = page.body.match(/<desc id="chart-topics-desc">([^<]*)<\/desc>/);
      assert.ok(match, "the topics chart is described");
      return match[1];
    };
    assert.equal(await desc(day, "en"), `1 value from ${day} to ${day}: lowest 1, highest 1.`);
    assert.equal(await desc(day, "de"), `1 Wert vom ${day} bis ${day}: niedrigster 1, höchster 1.`);
    assert.equal(await desc(day, "fr"), `1 valeur du ${day} au ${day} : minimum 1, maximum 1.`);
    assert.equal(await desc(day, "it"), `1 valore dal ${day} al ${day}: minimo 1, massimo 1.`);
    const before = new Date(env().clock.now() - 86_400_000).toISOString().slice(0, 10);
    assert.equal(await desc(before, "en"), `2 values from ${before} to ${day}: lowest 0, highest 1.`);
  });

  test("the settings form: staff save money and days (CSRF); moderators are refused; bad values come back", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { staff: 1, moderator: 1 } });
    const staff = await browse(env(), members.staff[0]);
    const saved = await staff.submit(`/c/${slug}/insights/settings`, {
      costPerContactCents: "1250",
      currency: "usd",
      timezone: "America/New_York",
    });
    assert.equal(saved.status, 303);
    const page = await staff.get(`/c/${slug}/insights`);
    assert.match(page.body, /\$12\.50/);
    assert.match(page.body, /America\/New_York/);
    const bad = await staff.submit(`/c/${slug}/insights/settings`, {
      costPerContactCents: "10",
      currency: "US",
      timezone: "",
    });
    assert.equal(bad.status, 422);
    assert.match(bad.body, /id="s-currency" name="currency" aria-describedby="s-currency-error" aria-invalid="true"/);
    // A schema's own checks come back in the catalog's words, not as "This value is not valid."
    const zone = await staff.submit(`/c/${slug}/insights/settings`, { timezone: "Mars/Olympus_Mons" });
    assert.equal(zone.status, 422);
    assert.match(zone.body, /Unknown time zone: use an IANA name such as Europe\/Zurich\./);
    // Spaces in the cost keep it (they saved 0 before).
    assert.equal(
      (await staff.submit(`/c/${slug}/insights/settings`, { costPerContactCents: " ", currency: "EUR" })).status,
      303,
    );
    assert.match((await staff.get(`/c/${slug}/insights`)).body, /€12\.50|12\.50\s*€|EUR\s*12\.50/);
    const nothing = await staff.submit(`/c/${slug}/insights/settings`, {});
    assert.equal(nothing.status, 422);
    assert.match(nothing.body, /Change at least one field\./);
    const moderator = await browse(env(), members.moderator[0]);
    assert.equal((await moderator.submit(`/c/${slug}/insights/settings`, { currency: "EUR" })).status, 403);
    // Refused whatever they send: invalid values do not bring the form back to them (422).
    const refused = await moderator.submit(`/c/${slug}/insights/settings`, { currency: "US", timezone: "Mars/Base" });
    assert.equal(refused.status, 403);
    assert.doesNotMatch(refused.body, /name="costPerContactCents"/);
    assert.equal((await moderator.submit(`/c/${slug}/insights/settings`, {})).status, 403);
    assert.equal(
      (await postForm(env(), `/c/${slug}/insights/settings`, { currency: "EUR" }, members.staff[0].cookie)).status,
      403,
      "no CSRF token",
    );
  });
});
