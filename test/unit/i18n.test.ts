import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { LOCALES, isLocale, localeFromHeader, translator, type Locale, type MessageKey } from "../../src/i18n/i18n.ts";
import { en } from "../../src/i18n/en.ts";
import { de } from "../../src/i18n/de.ts";
import { fr } from "../../src/i18n/fr.ts";
import { it } from "../../src/i18n/it.ts";

const englishKeys = Object.keys(en) as (keyof typeof en & MessageKey)[];
const catalogs: Record<Exclude<Locale, "en">, Partial<Record<string, string>>> = { de, fr, it };
const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
const withParams = englishKeys.filter((key) => placeholders(en[key]).length > 0);

describe("translator", () => {
  test("English returns the reference messages", () => {
    const t = translator("en");
    assert.ok(englishKeys.length > 0);
    for (const key of englishKeys) assert.equal(t(key), en[key], key);
  });

  test("every other locale uses its own message and falls back to English for a missing one", () => {
    for (const [locale, catalog] of Object.entries(catalogs) as [
      Exclude<Locale, "en">,
      Partial<Record<string, string>>,
    ][]) {
      const t = translator(locale);
      for (const key of englishKeys) {
        const own = catalog[key];
        assert.equal(t(key), own ?? en[key], `${locale} ${key}`);
        assert.ok(t(key).length > 0, `${locale} ${key}`);
      }
    }
  });

  test("a translated message keeps the English message's placeholders", () => {
    for (const [locale, catalog] of Object.entries(catalogs)) {
      for (const key of englishKeys) {
        const own = catalog[key];
        if (own !== undefined)
          assert.deepEqual(placeholders(own).sort(), placeholders(en[key]).sort(), `${locale} ${key}`);
      }
    }
  });

  test("params fill every {placeholder}, numbers included; a missing param leaves its placeholder", (t) => {
    if (withParams.length === 0) return t.skip("the catalog has no message with parameters yet");
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

  test("without params a message is returned as written, braces and all", (t) => {
    if (withParams.length === 0) return t.skip("the catalog has no message with parameters yet");
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

  // src/i18n is owned by another engineer; these rules of RFC 9110 are not met yet (reported, not fixed here).
  test("q=0 means 'not acceptable': such a language is never chosen", () => {
    assert.equal(localeFromHeader("es, de;q=0"), "en");
  });

  test("whitespace around ';' and '=' in a q parameter is allowed", () => {
    assert.equal(localeFromHeader("de; q=0.5, it;q=0.8"), "it");
  });
});

describe("isLocale", () => {
  test("accepts exactly the supported locales", () => {
    for (const locale of LOCALES) assert.ok(isLocale(locale));
    for (const value of ["EN", "es", "", null, undefined, 1, "en-US"]) assert.ok(!isLocale(value), String(value));
  });
});
