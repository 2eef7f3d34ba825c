import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  LOCALES,
  installedMessages,
  isLocale,
  localeFromHeader,
  pluralTranslator,
  translator,
  type Locale,
  type MessageKey,
} from "../../src/i18n/i18n.ts";
import { CATALOGS, installAllCatalogs } from "../../src/app/catalogs.ts";

installAllCatalogs();
const en = installedMessages("en") as Record<MessageKey, string>;
const englishKeys = Object.keys(en) as MessageKey[];
const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
const withParams = englishKeys.filter((key) => placeholders(en[key]).length > 0);
const others = LOCALES.filter((locale): locale is Exclude<Locale, "en"> => locale !== "en");

describe("catalogs", () => {
  test("every domain's catalog is complete in every language, with no key of its own", () => {
    assert.ok(CATALOGS.length > 10);
    for (const catalog of CATALOGS) {
      const keys = Object.keys(catalog.en).sort();
      for (const locale of others) assert.deepEqual(Object.keys(catalog[locale]).sort(), keys, locale);
    }
  });

  test("installing two catalogs that define the same key fails", async () => {
    const { installCatalogs } = await import("../../src/i18n/i18n.ts");
    const twice = { en: { "x.y": "X" }, de: { "x.y": "X" }, fr: { "x.y": "X" }, it: { "x.y": "X" } };
    assert.throws(() => installCatalogs([twice, twice]), /x\.y is defined twice/);
    installAllCatalogs();
  });
});

describe("translator", () => {
  test("English returns the reference messages", () => {
    const t = translator("en");
    assert.ok(englishKeys.length > 700);
    for (const key of englishKeys) assert.equal(t(key), en[key], key);
  });

  test("every other locale has its own, non-empty message for every key", () => {
    for (const locale of others) {
      const t = translator(locale);
      const own = installedMessages(locale);
      for (const key of englishKeys) {
        assert.equal(t(key), own[key], `${locale} ${key}`);
        assert.ok(t(key).trim().length > 0, `${locale} ${key}`);
      }
    }
  });

  test("a translated message keeps the English message's placeholders", () => {
    for (const locale of others) {
      const own = installedMessages(locale);
      for (const key of englishKeys)
        assert.deepEqual(placeholders(own[key]).sort(), placeholders(en[key]).sort(), `${locale} ${key}`);
    }
  });

  test("params fill every {placeholder}, numbers included; a missing param leaves its placeholder", () => {
    assert.ok(withParams.length > 0);
    for (const locale of LOCALES) {
      const translate = translator(locale);
      for (const key of withParams) {
        const names = placeholders(en[key]);
        const params = Object.fromEntries(names.map((name, i) => [name, i % 2 ? i + 100 : `<${name}>`]));
        const filled = translate(key, { ...params, unused: "ignored" });
        for (const [i, name] of names.entries()) {
          assert.ok(filled.includes(i % 2 ? String(i + 100) : `<${name}>`), `${locale} ${key}: ${filled}`);
          assert.ok(!filled.includes(`{${name}}`), `${locale} ${key}: ${filled}`);
        }
        assert.ok(!filled.includes("ignored"), `${locale} ${key}`);
        const [first] = names;
        const partial = translate(key, Object.fromEntries(names.slice(1).map((n) => [n, "x"])));
        assert.ok(partial.includes(`{${first}}`), `${locale} ${key}: a missing param stays visible`);
      }
    }
  });

  test("without params a message is returned as written, braces and all", () => {
    const key = withParams[0];
    assert.equal(translator("en")(key), en[key]);
  });
});

describe("localeFromHeader", () => {
  const cases: [string | undefined, Locale][] = [
    [undefined, "en"],
    ["", "en"],
    ["de", "de"],
    ["fr-CH", "fr"],
    ["IT-it", "it"],
    ["de-CH,de;q=0.9,en;q=0.8", "de"],
    ["fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "fr"],
    ["es, it;q=0.8, de;q=0.5", "it"],
    ["en;q=0.2, de;q=0.9", "de"],
    ["en;q=0.5,fr;q=0.7,it;q=0.6", "fr"],
    ["*", "en"],
    ["xx, yy-ZZ", "en"],
    ["zh-Hant-TW,ja;q=0.8", "en"],
  ];
  for (const [header, expected] of cases) {
    test(`${JSON.stringify(header)} -> ${expected}`, () => {
      assert.equal(localeFromHeader(header), expected);
    });
  }

  test("garbage never throws and gives a supported locale", () => {
    for (const header of [";;;", ",,,", "de;q=abc", "q=1", "d", "🙂", "de;q=", "x".repeat(5000)]) {
      assert.ok(isLocale(localeFromHeader(header)), header);
    }
  });

  test("q=0 means 'not acceptable': such a language is never chosen", () => {
    assert.equal(localeFromHeader("es, de;q=0"), "en");
  });

  test("whitespace around ';' and '=' in a q parameter is allowed", () => {
    assert.equal(localeFromHeader("de; q=0.5, it;q=0.8"), "it");
  });

  test("a q beyond RFC 9110's qvalue (above 1, not decimal, more than 3 decimals) is not acceptable", () => {
    for (const q of ["2", "1.5", "Infinity", "0x1", "1e0", ".9", "+1", "0.12345", "1.001"]) {
      assert.equal(localeFromHeader(`fr;q=0.5, de;q=${q}`), "fr", q);
    }
    for (const [q, expected] of [
      ["1", "de"],
      ["1.000", "de"],
      ["0.6", "de"],
      ["0.4", "fr"],
      ["0.", "fr"],
    ] as const) {
      assert.equal(localeFromHeader(`fr;q=0.5, de;q=${q}`), expected, q);
    }
  });
});

describe("pluralTranslator", () => {
  test("writes {count} the locale's way, and picks the form by the locale's plural rules", () => {
    const views = (locale: Locale, count: number) => pluralTranslator(locale)("topic.views", count);
    assert.equal(views("en", 12345), "12,345 views");
    assert.equal(views("de", 12345), "12.345 Aufrufe");
    assert.equal(views("it", 12345), "12.345 visualizzazioni");
    assert.match(views("fr", 12345), /^12\s345 vues$/u);
    assert.equal(views("en", 1), "1 view");
    assert.equal(views("en", 0), "0 views");
    assert.equal(views("fr", 0), "0 vue", "French: 0 is singular");
    assert.equal(views("de", 0), "0 Aufrufe");
  });

  test("a count among the params is written as given", () => {
    assert.equal(pluralTranslator("de")("topic.views", 1500, { count: "1,5 Tsd." }), "1,5 Tsd. Aufrufe");
  });
});

describe("isLocale", () => {
  test("accepts exactly the supported locales", () => {
    for (const locale of LOCALES) assert.ok(isLocale(locale));
    for (const value of ["EN", "es", "", null, undefined, 1, "en-US"]) assert.ok(!isLocale(value), String(value));
  });
});
