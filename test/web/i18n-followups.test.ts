import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildCommunity, buildTopic, buildUser, type TestEnv, type TestUser } from "../helpers.ts";
import { LOCALES, installedMessages, translator } from "../../src/i18n/i18n.ts";
import { DECISIONS } from "../../src/marketplace/marketplace.schema.ts";
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from "../../src/moderation/moderation.queue.views.ts";
import { reputationSettings, reputationSettingsPatch } from "../../src/reputation/index.ts";
import { browse } from "./web-helpers.ts";
import {
  bookingBody,
  createOffer,
  createService,
  describeMarket,
  market,
  passCourse,
  requestBooking,
  wifiCourse,
} from "../marketplace/support.ts";

/** The member reads the site in `locale` (their own setting, as the language menu stores it). */
async function speaks(env: TestEnv, user: TestUser, locale: string) {
  await env.deps.db.updateTable("users").set({ locale }).where("id", "=", user.id).execute();
}

/**
 * The audit actions and target types the code records: the dotted strings on the `action:` (or
 * `audit:`/`auditAction:`) lines and the strings on `targetType:` lines of every source file that
 * calls recordAudit or changeSettingsAudited; an action built from a template (`helper.${decision}`) by its prefix.
 */
function recordedInSource() {
  const actions = new Set<string>();
  const templates = new Set<string>();
  const targets = new Set<string>();
  const files = readdirSync("src", { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  for (const file of files) {
    const text = readFileSync(join("src", file), "utf8");
    if (!text.includes("recordAudit(") && !text.includes("changeSettingsAudited(")) continue;
    for (const line of text.split("\n")) {
      if (/\b(action|audit|auditAction)\??:/.test(line)) {
        for (const m of line.matchAll(/"([a-z_]+\.[a-zA-Z_]+)"/g)) actions.add(m[1]);
        for (const m of line.matchAll(/`([a-z_]+)\.\$\{/g)) templates.add(m[1]);
      }
      if (/\btargetType:/.test(line)) for (const m of line.matchAll(/"([a-z_]+)"/g)) targets.add(m[1]);
    }
  }
  return { actions, templates, targets };
}

/** The course form as staff fill it in: one single-choice and one multiple-choice question. */
const COURSE_FORM = {
  title: "TV basics",
  description: "What every TV set-up helper must know.",
  passMark: "100",
  maxAttempts: "3",
  cooldownMinutes: "60",
  validityDays: "",
  lessons: "# Cables\nThe **HDMI** cable goes from the box to the TV.",
  questions: [
    "? Which cable carries the picture?",
    "* HDMI",
    "- Power",
    "?? Which are needed?",
    "* Internet",
    "* Remote",
  ].join("\n"),
};

describeMarket("i18n follow-ups", (env) => {
  test("the booking form explains a helper not certified or not selling in the reader's language", async () => {
    const { slug, admin, helper, customer, application } = await market(env());
    const course = await wifiCourse(env(), slug, admin);
    await passCourse(env(), course, helper);
    const wifi = await createService(env(), slug, admin, { name: "Wi-Fi", requiredCourseId: course.id });
    const offer = await createOffer(env(), slug, helper, wifi.id);
    await env()
      .deps.db.updateTable("certifications")
      .set({ expiresAt: env().clock.now() - 1000 })
      .where("userId", "=", helper.id)
      .execute();
    await speaks(env(), customer, "de");
    const browser = await browse(env(), customer);
    const url = `/c/${slug}/offers/${offer.id}/book`;
    const day = new Date(env().clock.now() + 4 * 24 * 3600_000).toISOString().slice(0, 10);
    const { startsAt: _s, endsAt: _e, ...visit } = bookingBody(env());
    const fields = { ...visit, timezone: "Europe/Zurich", date: day, from: "10:00", to: "12:00" };

    const uncertified = await browser.submit(url, fields);
    assert.equal(uncertified.status, 409);
    assert.match(
      uncertified.body,
      /role="alert"[\s\S]*Dieser Service-Freund ist für diesen Dienst zurzeit nicht zertifiziert/,
    );
    assert.ok(uncertified.body.includes("My TV box shows error E-102."), "the description is kept");
    assert.ok(uncertified.body.includes(`value="${day}"`), "the date is kept");

    await env().deps.db.updateTable("helpers").set({ status: "suspended" }).where("id", "=", application.id).execute();
    const notSelling = await browser.submit(url, fields);
    assert.equal(notSelling.status, 409);
    assert.match(notSelling.body, /Dieser Service-Freund nimmt zurzeit keine Buchungen an\./);
    assert.ok(notSelling.body.includes("Bahnhofstrasse 1, 8001 Zürich"), "the address is kept");

    const api = await env().api.post(`/api/v1/offers/${offer.id}/bookings`, bookingBody(env()), customer.auth);
    assert.equal(api.status, 409);
    assert.deepEqual(api.body.error, { code: "conflict", message: "This service friend is not taking bookings." });
  });

  test("a refused quiz attempt shows the quiz again with a translated message and the answers kept", async () => {
    const { slug, admin, members } = await buildCommunity(env(), { members: { member: 1 } });
    const created = await (await browse(env(), admin)).submit(`/c/${slug}/academy/new`, COURSE_FORM);
    const url = String(created.headers.location);
    const { course } = (await env().api.get(`/api/v1/courses/${url.split("/").pop()}`)).body;
    const option = (question: number, text: string) =>
      course.questions[question].options.find((o: { text: string }) => o.text === text).id;
    const [single, multiple] = course.questions.map((q: { id: number }) => q.id);
    const wrong = { [`q${single}`]: String(option(0, "Power")), [`q${multiple}-${option(1, "Remote")}`]: "1" };
    const right = {
      [`q${single}`]: String(option(0, "HDMI")),
      [`q${multiple}-${option(1, "Internet")}`]: "1",
      [`q${multiple}-${option(1, "Remote")}`]: "1",
    };
    const [member] = members.member;
    await speaks(env(), member, "de");
    const quiz = await browse(env(), member);
    assert.equal((await quiz.submit(`${url}/attempt`, wrong)).status, 303, "a failed attempt");

    const tooSoon = await quiz.submit(`${url}/attempt`, right);
    assert.equal(tooSoon.status, 429);
    // The test clock stands at 2026-01-01 12:00 UTC, a wait of an hour, shown as the page shows times.
    assert.match(tooSoon.body, /Bitte warte bis Do\., 1\. Jan\. 2026, 13:00, dann kannst du es erneut versuchen\./);
    assert.doesNotMatch(tooSoon.body, /Wait until/);
    assert.match(tooSoon.body, new RegExp(`name="q${single}" value="${option(0, "HDMI")}" checked`));
    assert.match(tooSoon.body, new RegExp(`name="q${multiple}-${option(1, "Internet")}" value="1" checked`));
    assert.doesNotMatch(tooSoon.body, new RegExp(`name="q${single}" value="${option(0, "Power")}" checked`));

    env().clock.advance(61 * 60_000);
    assert.equal((await quiz.submit(`${url}/attempt`, right)).status, 303, "passed");
    const again = await quiz.submit(`${url}/attempt`, right);
    assert.equal(again.status, 409);
    assert.match(again.body, /Du hast diese Zertifizierung bereits\./);
    assert.match(again.body, new RegExp(`name="q${single}" value="${option(0, "HDMI")}" checked`));

    const api = await env().api.post(
      `/api/v1/courses/${course.id}/attempts`,
      { answers: [{ questionId: single, optionIds: [option(0, "HDMI")] }] },
      member.auth,
    );
    assert.equal(api.status, 409);
    assert.deepEqual(api.body.error, { code: "conflict", message: "You already hold this certification." });
  });

  test("a quiz with no attempts left says so in French, answers kept", async () => {
    const { slug, admin } = await buildCommunity(env());
    const created = await (await browse(env(), admin)).submit(`/c/${slug}/academy/new`, {
      ...COURSE_FORM,
      maxAttempts: "1",
      cooldownMinutes: "0",
    });
    const url = String(created.headers.location);
    const { course } = (await env().api.get(`/api/v1/courses/${url.split("/").pop()}`)).body;
    const power = course.questions[0].options.find((o: { text: string }) => o.text === "Power").id;
    const member = await buildUser(env());
    await speaks(env(), member, "fr");
    const quiz = await browse(env(), member);
    assert.equal((await quiz.submit(`${url}/attempt`, { [`q${course.questions[0].id}`]: String(power) })).status, 303);
    const none = await quiz.submit(`${url}/attempt`, { [`q${course.questions[0].id}`]: String(power) });
    assert.equal(none.status, 409);
    assert.match(none.body, /Vous n’avez plus de tentatives pour ce cours\./);
    assert.match(none.body, new RegExp(`value="${power}" checked`));
  });

  test("the error page shows a refusal's explanation in every language, not only in English", async () => {
    const { slug, offer, helper, customer } = await market(env());
    const booking = await requestBooking(env(), offer.id, customer, bookingBody(env(), 1));
    env().clock.advance(24 * 3600_000); // past the visit's start, before the answer deadline
    const url = `/c/${slug}/bookings/${booking.id}/accept`;
    const expected = { de: "Wähle eine Zeit in der Zukunft.", fr: "Choisissez une heure dans le futur." };
    for (const [locale, text] of Object.entries(expected)) {
      await speaks(env(), helper, locale);
      const refused = await (await browse(env(), helper)).submit(url);
      assert.equal(refused.status, 422);
      assert.match(refused.body, new RegExp(`<p class="error-detail">${text.replace(/\./g, "\\.")}</p>`));
      assert.doesNotMatch(refused.body, /Choose a time in the future/);
    }
  });

  test("every audit action and target type the code records has a label in every language", () => {
    const { actions, templates, targets } = recordedInSource();
    assert.ok(actions.size > 30, `found the recorded actions (${actions.size})`);
    // The actions built from a decision, by the decisions their use cases take.
    const decided: Record<string, readonly string[]> = { helper: DECISIONS, redemption: ["fulfil", "reject"] };
    assert.deepEqual([...templates].sort(), Object.keys(decided).sort(), "a new computed action needs its labels");
    for (const [prefix, decisions] of Object.entries(decided)) for (const d of decisions) actions.add(`${prefix}.${d}`);
    // Posts are audited by their own type (topic, reply, comment).
    for (const type of ["topic", "reply", "comment"]) targets.add(type);
    const listedActions: readonly string[] = AUDIT_ACTIONS;
    const listedTargets: readonly string[] = AUDIT_TARGET_TYPES;
    for (const action of actions) assert.ok(listedActions.includes(action), `${action} is in AUDIT_ACTIONS`);
    for (const type of targets) assert.ok(listedTargets.includes(type), `${type} is in AUDIT_TARGET_TYPES`);
    for (const locale of LOCALES) {
      const t = translator(locale) as (key: string) => string;
      const labels = [
        ...listedActions.map((a) => t(`mod.audit.action.${a}`)),
        ...listedTargets.map((type) => t(`mod.audit.target.${type}`)),
      ];
      for (const label of labels) assert.doesNotMatch(label, /^mod\.audit\./, `${locale}: ${label}`);
      if (locale !== "en") {
        const english = translator("en") as (key: string) => string;
        const same = listedActions.filter((a) => t(`mod.audit.action.${a}`) === english(`mod.audit.action.${a}`));
        assert.deepEqual(same, [], `${locale} translates every action`);
      }
    }
  });

  test("the audit log shows actions and targets in the reader's language; unknown codes as themselves", async () => {
    const { slug, admin, community } = await buildCommunity(env());
    const category = await env().api.post(`/api/v1/communities/${slug}/categories`, { name: "Router" }, admin.auth);
    assert.equal(category.status, 201);
    const topic = await buildTopic(env(), slug, admin);
    assert.equal((await env().api.put(`/api/v1/topics/${topic.id}/lock`, {}, admin.auth)).status, 200);
    await env()
      .deps.db.insertInto("auditLog")
      .values({
        communityId: community.id,
        actorId: admin.id,
        action: "future.thing",
        targetType: "gadget",
        targetId: 9,
        details: "{}",
        createdAt: env().clock.now(),
      })
      .execute();
    await speaks(env(), admin, "de");
    const page = await (await browse(env(), admin)).get(`/c/${slug}/audit`);
    assert.equal(page.status, 200);
    assert.match(
      page.body,
      new RegExp(`<td[^>]*>Kategorie erstellt</td><td[^>]*>Kategorie #${category.body.category.id}</td>`),
    );
    assert.match(page.body, new RegExp(`<td[^>]*>Thema gesperrt</td><td[^>]*>Thema #${topic.id}</td>`));
    assert.match(
      page.body,
      /<td[^>]*>future\.thing<\/td><td[^>]*>gadget #9<\/td>/,
      "a code this version does not know",
    );
    assert.doesNotMatch(page.body, /category\.create|topic\.lock|>category #/);
  });

  test("the rank settings: default names in the admin's language, kept as defaults; refusals translated", async () => {
    const { slug, admin, community } = await buildCommunity(env());
    await speaks(env(), admin, "de");
    const browser = await browse(env(), admin);
    const page = await browser.get(`/c/${slug}/settings`);
    assert.match(page.body, /<textarea[^>]*name="ranks"[^>]*>Neuling: 0\nHelfer: 50\nExperte: 500\nLegende: 2000</);
    assert.doesNotMatch(page.body, /Newcomer: 0/);
    const url = `/c/${slug}/settings/reputation`;

    const notZero = await browser.submit(url, { ranks: "Neuling: 10\nHelfer: 50" });
    assert.equal(notZero.status, 422);
    assert.match(notZero.body, /Der erste Rang muss bei 0 Kudos beginnen\./);
    assert.match(notZero.body, />Neuling: 10\nHelfer: 50</, "what was typed is shown as typed");
    const down = await browser.submit(url, { ranks: "Neuling: 0\nHelfer: 50\nExperte: 40" });
    assert.equal(down.status, 422);
    assert.match(down.body, /Jeder Rang muss mehr Kudos verlangen als der vorherige\./);
    assert.match(down.body, /id="ranks-error">Jeder Rang/, "by the field");

    // Saved as shown, the default ranks stay the defaults (each reader sees them in their language).
    const saved = await browser.submit(url, { ranks: "Neuling: 0\nHelfer: 50\nExperte: 500\nMeister: 1500" });
    assert.equal(saved.status, 303);
    const { ranks } = await reputationSettings(env().deps.db, community.id);
    assert.deepEqual(
      ranks.map((r) => r.name),
      ["Newcomer", "Helper", "Expert", "Meister"],
    );
    await speaks(env(), admin, "fr");
    assert.match(
      (await browser.get(`/c/${slug}/settings`)).body,
      />Nouveau: 0\nAidant: 50\nExpert: 500\nMeister: 1500</,
    );

    const unknown = reputationSettingsPatch.safeParse({ thresholds: { "no.such.privilege": 5 } });
    assert.equal(unknown.success, false);
    const issue = unknown.error?.issues[0] as { params?: { messageKey?: string } };
    assert.equal(issue.params?.messageKey, "rep.error.unknownPrivilege");
    assert.equal(
      (translator("it") as (key: string) => string)("rep.error.unknownPrivilege"),
      "Privilegio sconosciuto.",
    );
  });

  test("French addresses the reader as « vous » everywhere, never « tu »", () => {
    // Pronouns and possessives of « tu », and the imperatives the catalogs used with it.
    const pronouns = "tu|te|toi|ton|ta|tes|tien|tienne";
    const imperatives = "choisis|décris|indique|réussis|deviens|dis-nous|connecte-toi|nomme";
    const informal = new RegExp(`(?<!\\p{L})((${pronouns}|${imperatives})(?!\\p{L})|t[’'](?=\\p{L}))`, "iu");
    const found = Object.entries(installedMessages("fr")).filter(([, text]) => informal.test(text));
    assert.deepEqual(found, []);
    assert.match(installedMessages("fr")["academy.lead"], /votre profil/);
    assert.match(installedMessages("fr")["market.lead"], /vous aident/);
  });
});
