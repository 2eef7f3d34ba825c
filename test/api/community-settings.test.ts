import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, buildUser, describeEachDatabase } from "../helpers.ts";
import { browse, getPage } from "../web/web-helpers.ts";

describeEachDatabase("community settings: name, visibility, language, time zone", (env) => {
  test("an admin changes the community by API; others are refused and bad values are 422", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { moderator: 1 } });
    const outsider = await buildUser(env());
    const api = `/api/v1/communities/${slug}`;
    assert.equal((await env().api.patch(api, { timeZone: "Europe/Zurich" })).status, 401);
    for (const who of [members.moderator[0], outsider]) {
      const refused = await env().api.patch(api, { timeZone: "Europe/Zurich" }, who.auth);
      assert.equal(refused.status, 403, "only admins");
    }
    const bad = await env().api.patch(api, { timeZone: "Mars/Olympus_Mons", locale: "xx" }, admin.auth);
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.fields.timeZone, "Unknown time zone.");
    assert.ok(bad.body.error.fields.locale);
    assert.equal((await env().api.patch(api, {}, admin.auth)).status, 422, "nothing to change");
    assert.equal((await env().api.get(api)).body.community.timeZone, "UTC", "refusals changed nothing");

    const changed = await env().api.patch(
      api,
      { name: "Acme help", timeZone: "America/New_York", locale: "de" },
      admin.auth,
    );
    assert.equal(changed.status, 200);
    assert.equal(changed.body.community.name, "Acme help");
    assert.equal(changed.body.community.timeZone, "America/New_York");
    assert.equal(changed.body.community.locale, "de");
    assert.equal(changed.body.community.visibility, "public", "fields not sent stay as they were");
    const log = await env().api.get(`${api}/audit-log`, admin.auth);
    assert.equal(log.body.entries[0].action, "community.update");
  });

  test("the settings page's community card saves the time zone, which every page then shows times in", async () => {
    env().clock.set(Date.UTC(2026, 11, 2, 15)); // 10:00 in New York, 16:00 in Zurich
    const { slug, admin } = await buildCommunity(env());
    await buildTopic(env(), slug, admin, { title: "When was this asked in New York?" });
    const asAdmin = await browse(env(), admin);
    const form = (await asAdmin.get(`/c/${slug}/settings`)).body;
    assert.match(form, /<form method="post" action="\/c\/[^"]+\/settings\/general"/);
    assert.match(form, /name="timeZone"[^>]*value="UTC"/);

    const values = { name: "Renamed", description: "Help", visibility: "public", locale: "en" };
    const refused = await asAdmin.submit(`/c/${slug}/settings/general`, { ...values, timeZone: "New York" });
    assert.equal(refused.status, 422);
    assert.ok(
      refused.body.includes("Unknown time zone: use an IANA name such as Europe/Zurich."),
      "says what to change",
    );
    assert.match(refused.body, /name="timeZone"[^>]*value="New York"/, "keeps what was typed");
    assert.match(refused.body, /name="name"[^>]*value="Renamed"/);

    const saved = await asAdmin.submit(`/c/${slug}/settings/general`, { ...values, timeZone: "America/New_York" });
    assert.equal(saved.status, 303);
    const list = await getPage(env(), `/c/${slug}`);
    assert.ok(list.body.includes("Renamed"));
    assert.match(list.body, /<time datetime="2026-12-02T15:00:00.000Z" title="Wed, Dec 2, 2026, 10:00 AM">/);

    const { members } = await buildCommunity(env(), { members: { member: 1 } });
    const asMember = await browse(env(), members.member[0]);
    const notAdmin = await asMember.submit(`/c/${slug}/settings/general`, { ...values, timeZone: "UTC" });
    assert.equal(notAdmin.status, 403);
  });

  test("making the community private by the form hides it from anonymous visitors", async () => {
    const { slug, admin } = await buildCommunity(env());
    assert.equal((await getPage(env(), `/c/${slug}`)).status, 200);
    const asAdmin = await browse(env(), admin);
    const saved = await asAdmin.submit(`/c/${slug}/settings/general`, {
      name: "Closed circle",
      description: "",
      visibility: "private",
      locale: "en",
      timeZone: "UTC",
    });
    assert.equal(saved.status, 303);
    assert.equal((await getPage(env(), `/c/${slug}`)).status, 404);
    assert.equal((await asAdmin.get(`/c/${slug}`)).status, 200, "members still read it");
  });
});
