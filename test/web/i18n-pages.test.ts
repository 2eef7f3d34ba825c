import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DATABASES, createTestEnv, type TestEnv } from "../helpers.ts";
import { seedDemoIfEmpty } from "../../src/app/demo.seed.ts";
import { createSession } from "../../src/accounts/accounts.service.ts";
import { DEMO_EMAILS, type Role, demoPaths, mainPages } from "../../scripts/main-pages.ts";
import { csrfTokenFor } from "./web-helpers.ts";
import { CATALOGS } from "../../src/app/catalogs.ts";

const OTHER_LOCALES = ["de", "fr", "it"] as const;

/** What a reader sees of a page: its text nodes and the texts of title, aria-label, placeholder and alt. */
function visibleTexts(html: string): string[] {
  // A textarea holds what the community stored (blocked phrases, rank names), as written.
  const body = html.replace(/<(script|style|textarea)[\s\S]*?<\/\1>/g, "");
  const texts = [
    ...[...body.matchAll(/>([^<]+)</g)].map((m) => m[1]),
    ...[...body.matchAll(/\s(?:title|aria-label|placeholder|alt)="([^"]*)"/g)].map((m) => m[1]),
  ];
  return texts.map((text) =>
    text
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&")
      .replace(/\s+/g, " ")
      .trim(),
  );
}

/** Several words of running text: a sentence or a label someone wrote in English. */
const isPhrase = (text: string) => /[A-Za-z]{2,}[^A-Za-z]+[A-Za-z]{2,}[^A-Za-z]+[A-Za-z]{2,}/.test(text);

/**
 * Text the members and staff wrote (titles, posts, names, service names...) reads the same in every
 * language; so does a part of it ("1. Lesson", "Title · Helper · Crowdservice").
 */
const plain = (text: string) => text.replace(/[*_`]/g, "").replace(/\s+/g, " ");

function isUserContent(text: string, corpus: string): boolean {
  if (text.includes("://")) return true;
  return plain(text)
    .split(" · ")
    .map((part) => part.replace(/^[\d.★✓\s]+/, "").trim())
    .every((part) => part === "" || part === "Crowdservice" || corpus.includes(part));
}

test("every domain's catalog on disk is installed, so the parity test in test/unit/i18n.test.ts sees it", async () => {
  const src = join(import.meta.dirname, "../../src");
  const installed = new Set<unknown>(CATALOGS);
  for (const domain of readdirSync(src).sort()) {
    const file = join(src, domain, "messages", "index.ts");
    if (!existsSync(file)) continue;
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const catalogs = Object.values(module).filter((value) => typeof value === "object" && value && "en" in value);
    assert.equal(catalogs.length, 1, file);
    assert.ok(installed.has(catalogs[0]), `${file} is listed in src/app/catalogs.ts`);
  }
});

describe("pages in German, French and Italian show no English", () => {
  let env: TestEnv;
  let corpus = "";
  const cookies: Partial<Record<Role, string>> = {};

  /** A page as a browser gets it, following a redirect to the canonical address (a topic's slug). */
  async function get(url: string, locale: string, role: Role | "anonymous" = "anonymous") {
    const headers = { "accept-language": locale, ...(role !== "anonymous" ? { cookie: cookies[role] } : {}) };
    const res = await env.app.inject({ method: "GET", url, headers });
    const location = res.headers.location;
    return res.statusCode === 301 && location ? env.app.inject({ method: "GET", url: String(location), headers }) : res;
  }

  before(async () => {
    env = await createTestEnv(DATABASES[0]);
    await seedDemoIfEmpty(env.deps);
    const db = env.deps.db;
    // The pages follow Accept-Language, not a language chosen in the account.
    await db.updateTable("users").set({ locale: null }).execute();
    for (const [role, email] of Object.entries(DEMO_EMAILS) as [Exclude<Role, "anonymous">, string][]) {
      const user = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
      cookies[role] = `cs_session=${await createSession(env.deps, user.id)}`;
    }
    for (const table of await db.introspection.getTables()) {
      const rows = await db
        .selectFrom(table.name as "users")
        .selectAll()
        .execute();
      for (const row of rows)
        for (const value of Object.values(row)) if (typeof value === "string") corpus += `\n${plain(value)}`;
    }
  });

  after(async () => {
    await env?.close();
  });

  test("no phrase of a main page reads the same in English and in another language, for every role", {
    timeout: 300_000,
  }, async () => {
    const pages = mainPages(await demoPaths(env.deps.db));
    pages.admin.push("/c/demo/service-friends/staff");
    const found: string[] = [];
    for (const [role, urls] of Object.entries(pages) as [Role, string[]][]) {
      for (const url of urls) {
        const english = await get(url, "en", role);
        assert.equal(english.statusCode, 200, `${role} ${url}`);
        const englishTexts = new Set(visibleTexts(english.body).filter(isPhrase));
        for (const locale of OTHER_LOCALES) {
          const translated = await get(url, locale, role);
          for (const text of new Set(visibleTexts(translated.body))) {
            if (englishTexts.has(text) && !isUserContent(text, corpus)) found.push(`${locale} ${role} ${url}: ${text}`);
            // A key no catalog has reads as itself ("rep.rank.x"): a dynamic key without its message.
            // (The audit log shows its action codes as code, on purpose for now: moderation's to change.)
            if (/^[a-z]+(\.[a-zA-Z_]+)+$/.test(text) && !url.endsWith("/audit"))
              found.push(`${locale} ${role} ${url}: raw key ${text}`);
          }
        }
      }
    }
    assert.deepEqual(found, []);
  });

  test("a service friend's rank on the finder is in the reader's language", async () => {
    const english = await get("/c/demo/service-friends", "en");
    assert.match(english.body, /class="badge info">Newcomer</);
    const expected = { de: "Neuling", fr: "Nouveau", it: "Nuovo arrivato" };
    for (const locale of OTHER_LOCALES) {
      const res = await get("/c/demo/service-friends", locale);
      assert.equal(res.statusCode, 200);
      assert.doesNotMatch(res.body, />Newcomer</, locale);
      assert.match(res.body, new RegExp(`class="badge info">${expected[locale]}<`), locale);
    }
  });

  test("the payout month's hint on the staff desk is in the reader's language", async () => {
    const expected = { de: "JJJJ-MM", fr: "AAAA-MM", it: "AAAA-MM" };
    for (const locale of OTHER_LOCALES) {
      const res = await get("/c/demo/service-friends/staff", locale, "staff");
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /name="month"/, locale);
      assert.doesNotMatch(res.body, /YYYY-MM/, locale);
      assert.match(res.body, new RegExp(`id="month-hint">[^<]*${expected[locale]}`), locale);
    }
  });
});

for (const database of DATABASES)
  describe(`${"the offer form explains refusals in the reader's language and keeps what was typed"} [${database.name}]`, () => {
    let env: TestEnv;
    let cookie: string;
    let csrf: string;
    let helperId: number;

    before(async () => {
      env = await createTestEnv(database);
      await seedDemoIfEmpty(env.deps);
      const db = env.deps.db;
      const helper = await db
        .selectFrom("users")
        .select("id")
        .where("email", "=", DEMO_EMAILS.helper)
        .executeTakeFirstOrThrow();
      helperId = helper.id;
      await db.updateTable("users").set({ locale: "de" }).where("id", "=", helperId).execute();
      cookie = `cs_session=${await createSession(env.deps, helperId)}`;
      csrf = await csrfTokenFor(env, cookie);
    });

    after(async () => {
      await env?.close();
    });

    async function service(name: string) {
      return env.deps.db.selectFrom("services").selectAll().where("name", "=", name).executeTakeFirstOrThrow();
    }

    function publish(fields: Record<string, string>) {
      return env.app.inject({
        method: "POST",
        url: "/c/demo/service-friends/offers",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({
          _csrf: csrf,
          priceUnit: "fixed",
          day1: "1",
          from: "09:00",
          to: "18:00",
          ...fields,
        }).toString(),
      });
    }

    test("a price above the service's maximum: the form again, with the maximum, in German", async () => {
      const wifi = await service("Wi-Fi and network");
      const res = await publish({ serviceId: String(wifi.id), price: "500", postalCodes: "8001" });
      assert.equal(res.statusCode, 422);
      assert.doesNotMatch(res.body, /class="error-page"/);
      assert.match(res.body, /Der Preis liegt über dem empfohlenen Höchstpreis von 90,00\sCHF\./);
      assert.match(res.body, /name="price"[^>]*value="500"|value="500"[^>]*name="price"/, "the price typed is kept");
      assert.doesNotMatch(res.body, /recommended maximum/);
    });

    test("an unknown postal code: a message by the place field, not the raw field name", async () => {
      const wifi = await service("Wi-Fi and network");
      const res = await publish({ serviceId: String(wifi.id), price: "50", placePostalCode: "99999", radiusKm: "5" });
      assert.equal(res.statusCode, 422);
      assert.doesNotMatch(res.body, /place\.postalCode/);
      assert.match(res.body, /<a\s+href="#place">[^<]+<\/a>: Unbekannte Postleitzahl/);
      assert.match(res.body, /id="place-error">Unbekannte Postleitzahl/);
      assert.doesNotMatch(res.body, /Unknown postal code/);
    });

    test("a service whose certification the helper lacks: the form again (403), not the error page", async () => {
      const tv = await service("TV set-up");
      assert.ok(tv.requiredCourseId);
      await env.deps.db.deleteFrom("certifications").where("userId", "=", helperId).execute();
      const res = await publish({ serviceId: String(tv.id), price: "50", postalCodes: "8001, 8002" });
      assert.equal(res.statusCode, 403);
      assert.doesNotMatch(res.body, /class="error-page"/);
      assert.match(res.body, /id="serviceId-error">Für diese Dienstleistung brauchst du ein Zertifikat/);
      assert.match(res.body, /value="8001, 8002"/, "the postal codes typed are kept");
    });
  });

for (const database of DATABASES)
  describe(`${"a refused redemption shows the rewards page with a message in the reader's language"} [${database.name}]`, () => {
    let env: TestEnv;

    before(async () => {
      env = await createTestEnv(database);
      await seedDemoIfEmpty(env.deps);
    });

    after(async () => {
      await env?.close();
    });

    test("a reward dearer than the balance (the page was stale): 409 with the rewards page, not the error page", async () => {
      const db = env.deps.db;
      const member = await db
        .selectFrom("users")
        .select("id")
        .where("email", "=", DEMO_EMAILS.member)
        .executeTakeFirstOrThrow();
      await db.updateTable("users").set({ locale: "it" }).where("id", "=", member.id).execute();
      const cookie = `cs_session=${await createSession(env.deps, member.id)}`;
      const reward = await db.selectFrom("rewards").select("id").orderBy("id").executeTakeFirstOrThrow();
      // Another tab spent the kudos, or staff raised the price, after this page was loaded.
      await db.updateTable("rewards").set({ price: 1_000_000 }).where("id", "=", reward.id).execute();
      const res = await env.app.inject({
        method: "POST",
        url: `/c/demo/rewards/${reward.id}/redeem`,
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({
          _csrf: await csrfTokenFor(env, cookie),
          idempotencyKey: "stale-page-0001",
        }).toString(),
      });
      assert.equal(res.statusCode, 409);
      assert.doesNotMatch(res.body, /class="error-page"/);
      assert.match(res.body, /role="alert">\s*<p><strong>Non è stato possibile riscattare questo premio/);
      assert.match(res.body, /<h1>Premi<\/h1>/);
      assert.doesNotMatch(res.body, /This reward costs/);
    });
  });
