import { test } from "node:test";
import assert from "node:assert/strict";
import {
  addMember,
  buildCommunity,
  buildUser,
  describeEachDatabase,
  TEST_PASSWORD,
  type TestEnv,
  type TestUser,
} from "../helpers.ts";
import { assertUniqueIds, browse, elementWithId, getPage, idsOf } from "./web-helpers.ts";
import { bookingBody, describeMarket, market, requestBooking } from "../marketplace/support.ts";
import { createSession } from "../../src/accounts/accounts.service.ts";
import { deviceOf } from "../../src/accounts/accounts.sessions.ts";

const communityId = async (env: TestEnv, slug: string) =>
  (await env.deps.db.selectFrom("communities").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;

/** The `for` of the label with this text. */
function labelFor(body: string, text: string): string[] {
  return [...body.matchAll(/<label[^>]*\sfor="([^"]*)"[^>]*>([^<]*)<\/label>/g)]
    .filter((m) => m[2] === text)
    .map((m) => m[1]);
}

/** The levels of the page's headings, in document order. */
const headingLevels = (body: string) => [...body.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));

/** No heading before the first h1, and no level skipped on the way down. */
function assertHeadingOrder(body: string, what: string): void {
  const levels = headingLevels(body);
  assert.equal(levels[0], 1, `${what}: the first heading is the h1 (${levels.join(",")})`);
  for (let i = 1; i < levels.length; i++)
    assert.ok(levels[i] <= levels[i - 1] + 1, `${what}: h${levels[i - 1]} then h${levels[i]} (${levels.join(",")})`);
}

describeEachDatabase("accessibility and i18n fixes", (env) => {
  test("/me/account: every id once, each label for its own input, the name attributes unchanged", async () => {
    const user = await buildUser(env(), { name: "Ida Ids" });
    const { body } = await getPage(env(), "/me/account", user);
    assertUniqueIds(body, "/me/account");
    // Each label's `for` names an element of the page.
    const ids = new Set(idsOf(body));
    for (const m of body.matchAll(/<label[^>]*\sfor="([^"]*)"/g)) assert.ok(ids.has(m[1]), `label for="${m[1]}"`);

    const fields: [label: string, id: string, name: string, form: string][] = [
      ["Display name", "profile-name", "name", "/me/account/profile"],
      ["Handle", "profile-handle", "handle", "/me/account/profile"],
      ["Image (JPEG, PNG, WebP or GIF, at most 5 MB)", "avatar-avatar", "avatar", "/me/account/avatar"],
      ["Language", "language-language", "language", "/me/account/language"],
      ["New email address", "email-email", "email", "/me/account/email"],
      ["New password", "password-password", "password", "/me/account/password"],
      ["Token name", "tokens-name", "name", "/me/account/tokens"],
    ];
    for (const [label, id, name, form] of fields) {
      assert.deepEqual(labelFor(body, label), [id], label);
      const tag = elementWithId(body, id);
      assert.ok(tag.includes(` name="${name}"`), `${id} keeps name="${name}": ${tag}`);
      // The control sits in its own section's form.
      const formStart = body.lastIndexOf("<form", body.indexOf(tag));
      assert.ok(body.slice(formStart, formStart + 200).includes(`action="${form}"`), `${id} is in ${form}`);
    }
    // "Current password" is asked three times: once per form, each with its own id.
    assert.deepEqual(labelFor(body, "Current password"), [
      "email-password",
      "password-currentPassword",
      "delete-password",
    ]);
    assert.ok(elementWithId(body, "delete-password").includes(' name="password"'));
    assert.ok(elementWithId(body, "password-currentPassword").includes(' name="currentPassword"'));
    assert.ok(elementWithId(body, "password-password").includes(' aria-describedby="password-password-hint"'));
    assert.ok(body.includes('<p class="hint" id="password-password-hint">'));
  });

  test("/me/account: an error summary links to the field that failed, which points at its message", async () => {
    const user = await buildUser(env());
    const browser = await browse(env(), user);
    const cases: [url: string, fields: Record<string, string>, id: string][] = [
      ["/me/account/email", { email: "new@example.test", password: "wrong-password" }, "email-password"],
      ["/me/account/delete", { password: "wrong-password" }, "delete-password"],
      ["/me/account/tokens", { name: "" }, "tokens-name"],
      ["/me/account/password", { currentPassword: TEST_PASSWORD, password: "x" }, "password-password"],
      [
        "/me/account/password",
        { currentPassword: "wrong-password", password: "a-new-long-password" },
        "password-currentPassword",
      ],
      ["/me/account/profile", { name: "", handle: "ida" }, "profile-name"],
    ];
    for (const [url, fields, id] of cases) {
      const res = await browser.submit(url, fields);
      assert.ok(res.status >= 400, `${url}: ${res.status}`);
      assertUniqueIds(res.body, url);
      assert.match(res.body, new RegExp(`<div class="form-alert" role="alert">[\\s\\S]*?href="#${id}"`), url);
      const tag = elementWithId(res.body, id);
      assert.ok(tag.includes(`aria-describedby="`) && tag.includes(`${id}-error`), `${url}: ${tag}`);
      assert.ok(tag.includes(' aria-invalid="true"'), `${url}: ${tag}`);
      assert.ok(res.body.includes(`<p class="field-error" id="${id}-error">`), url);
    }
    // The forms still read their fields by name: a right password changes nothing but the email.
    const asked = await browser.submit("/me/account/email", { email: "moved@example.test", password: TEST_PASSWORD });
    assert.equal(asked.status, 303);
  });

  test("/me/account names each session's device in the viewer's language", async () => {
    const user = await buildUser(env());
    await createSession(env().deps, user.id, "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0");
    await createSession(env().deps, user.id, "curl/8.5.0 (Linux)");
    const de = (await getPage(env(), "/me/account", user, { "accept-language": "de" })).body;
    assert.match(de, /<html lang="de">/);
    assert.ok(de.includes("<strong>Firefox auf Windows</strong>"), "browser on system");
    assert.ok(de.includes("<strong>Browser auf Linux</strong>"), "an unknown browser");
    assert.ok(de.includes("<strong>Unbekanntes Gerät</strong>"), "no User-Agent (the test user's own session)");
    assert.ok(!/Unknown device| on Windows/.test(de), "no English left");
    const fr = (await getPage(env(), "/me/account", user, { "accept-language": "fr" })).body;
    assert.ok(fr.includes("<strong>Firefox sur Windows</strong>") && fr.includes("<strong>Appareil inconnu</strong>"));
    const it = (await getPage(env(), "/me/account", user, { "accept-language": "it" })).body;
    assert.ok(
      it.includes("<strong>Firefox su Windows</strong>") && it.includes("<strong>Dispositivo sconosciuto</strong>"),
    );
    const en = (await getPage(env(), "/me/account", user)).body;
    assert.ok(en.includes("<strong>Firefox on Windows</strong>") && en.includes("<strong>Unknown device</strong>"));
    // The data behind it: browser and system, not words.
    assert.deepEqual(deviceOf("Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile Safari/537.36"), {
      browser: "Chrome",
      system: "Android",
    });
    assert.equal(deviceOf(null), null);
  });

  test("/c/:slug/kb: the page's search box and the header's have their own ids", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    for (const viewer of [null, members.member[0]]) {
      const { status, body } = await getPage(env(), `/c/${slug}/kb`, viewer);
      assert.equal(status, 200);
      assertUniqueIds(body, `/c/${slug}/kb`);
      assert.deepEqual(labelFor(body, "Search this community"), ["site-q", "kb-q"]);
      assert.ok(elementWithId(body, "kb-q").includes(' name="q"'));
      assert.ok(elementWithId(body, "site-q").includes(' name="q"'));
    }
  });

  test("/c/:slug/rewards: the reward cards are under an h2, not straight under the h1", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const created = await env().api.post(
      `/api/v1/communities/${slug}/rewards`,
      { name: "Bill credit 10 CHF", description: "On your next bill", price: 30, stock: null },
      members.staff[0].auth,
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    for (const viewer of [null, members.member[0], members.staff[0]]) {
      const { status, body } = await getPage(env(), `/c/${slug}/rewards`, viewer);
      assert.equal(status, 200);
      assert.match(body, /<h3>Bill credit 10 CHF<\/h3>/);
      assertHeadingOrder(body, `rewards as ${viewer?.name ?? "visitor"}`);
      assertUniqueIds(body, "rewards");
    }
  });

  test("a signed-in page: the bell's panel is labelled, but no heading comes before the h1", async () => {
    const { slug, members } = await buildCommunity(env(), { members: { member: 1 } });
    for (const url of ["/", `/c/${slug}`, "/me/account"]) {
      const { body } = await getPage(env(), url, members.member[0]);
      assert.match(body, /<div class="bell-panel" role="region" aria-labelledby="bell-title">/, url);
      const label = elementWithId(body, "bell-title");
      assert.ok(!/^<h[1-6]/.test(label), `${url}: ${label}`);
      const firstHeading = /<h([1-6])[\s>]/.exec(body);
      assert.equal(firstHeading?.[1], "1", `${url}: the h1 is the first heading`);
      assertHeadingOrder(body, url);
    }
  });
});

describeMarket("accessibility and i18n fixes: the staff desk", (env) => {
  test("the staff desk counts a review's reports in the singular and the plural, in every language", async () => {
    const { slug, offer, customer, other, helper, staff } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env()));
    await env().api.post(`/api/v1/bookings/${booking.id}/accept`, {}, helper.auth);
    env().clock.set(Date.parse(booking.endsAt));
    await env().api.post(`/api/v1/bookings/${booking.id}/complete`, { method: "cash" }, helper.auth);
    const { review } = (
      await env().api.post(`/api/v1/bookings/${booking.id}/review`, { rating: 4, text: "Quick." }, customer.auth)
    ).body;
    const flag = (user: TestUser) =>
      env().api.post(`/api/v1/reviews/${review.id}/flags`, { reason: "Not about the job." }, user.auth);
    const desk = (locale: string) =>
      getPage(env(), `/c/${slug}/service-friends/staff`, staff, { "accept-language": locale });
    assert.equal((await flag(other)).status, 201);
    const counts: Record<string, [one: string, other: string]> = {
      en: ["1 report", "2 reports"],
      de: ["1 Meldung", "2 Meldungen"],
      fr: ["1 signalement", "2 signalements"],
      it: ["1 segnalazione", "2 segnalazioni"],
    };
    for (const [locale, [one]] of Object.entries(counts))
      assert.ok((await desk(locale)).body.includes(`4★ · ${one}<p>`), `${locale}: ${one}`);
    const second = await buildUser(env());
    await addMember(env(), await communityId(env(), slug), second.id, "member");
    assert.equal((await flag(second)).status, 201);
    for (const [locale, [, two]] of Object.entries(counts))
      assert.ok((await desk(locale)).body.includes(`4★ · ${two}<p>`), `${locale}: ${two}`);
  });
});
