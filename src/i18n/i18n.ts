export const LOCALES = ["en", "de", "fr", "it"] as const;
export type Locale = (typeof LOCALES)[number];
export type Params = Record<string, string | number>;

/**
 * Every message key of every domain. Each domain's catalog (`<domain>/messages/index.ts`) merges
 * its keys into this interface, so `t()` accepts exactly the keys some catalog defines.
 */
// biome-ignore lint/suspicious/noEmptyInterface: the catalogs merge their keys into it
export interface Messages {}
export type MessageKey = keyof Messages & string;
/** A translation of the English reference catalog T: every key, no other. */
export type Translation<T> = { readonly [K in keyof T]: string };

export type Translate = (key: MessageKey, params?: Params) => string;

/** Keys that come in a `.one` / `.other` pair, chosen by the count's plural category. */
export type PluralKey = { [K in MessageKey]: K extends `${infer Base}.one` ? Base : never }[MessageKey];
export type TranslatePlural = (key: PluralKey, count: number, params?: Params) => string;

/** One domain's messages in every supported language. */
export type Catalog = Readonly<Record<Locale, Readonly<Record<string, string>>>>;

/** Declares a domain's catalog; the types make every translation complete. */
export function defineCatalog<T extends Record<string, string>>(catalog: {
  en: T;
  de: Translation<T>;
  fr: Translation<T>;
  it: Translation<T>;
}): Catalog {
  return catalog;
}

const catalogs: Record<Locale, Record<string, string>> = { en: {}, de: {}, fr: {}, it: {} };
const pluralTranslators = new Map<Locale, TranslatePlural>();

/**
 * Merges the domains' catalogs into one per language (the composition root calls this once at
 * start). Two domains defining the same key is a mistake, not an override.
 */
export function installCatalogs(list: readonly Catalog[]): void {
  const merged: Record<Locale, Record<string, string>> = { en: {}, de: {}, fr: {}, it: {} };
  for (const catalog of list) {
    for (const locale of LOCALES) {
      for (const [key, text] of Object.entries(catalog[locale])) {
        if (key in merged[locale]) throw new Error(`Message ${key} is defined twice`);
        merged[locale][key] = text;
      }
    }
  }
  for (const locale of LOCALES) catalogs[locale] = merged[locale];
  pluralTranslators.clear();
}

/** The installed messages of a locale (the catalog test compares them). */
export function installedMessages(locale: Locale): Readonly<Record<string, string>> {
  return catalogs[locale];
}

/** Each locale's own name, for language pickers. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", de: "Deutsch", fr: "Français", it: "Italiano" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

function interpolate(template: string, params?: Params): string {
  return params
    ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
    : template;
}

/** The translator for a locale; a key no installed catalog has reads as itself. */
export function translator(locale: Locale): Translate {
  return (key, params) => interpolate(catalogs[locale][key] ?? key, params);
}

/**
 * Picks `key.one` or `key.other` by the locale's plural rules and fills `{count}`, written the
 * locale's way ("12,345", "12.345", "12 345"); a `count` among `params` is written as given.
 */
export function pluralTranslator(locale: Locale): TranslatePlural {
  let tn = pluralTranslators.get(locale);
  if (!tn) {
    const t = translator(locale);
    const rules = new Intl.PluralRules(locale);
    const numbers = new Intl.NumberFormat(locale);
    tn = (key, count, params) =>
      t(`${key}.${rules.select(count) === "one" ? "one" : "other"}` as MessageKey, {
        count: numbers.format(count),
        ...params,
      });
    pluralTranslators.set(locale, tn);
  }
  return tn;
}

/** A q parameter's weight: RFC 9110's qvalue, 0 to 1 with at most three decimals; anything else is NaN. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
const qValue = (text: string | undefined): number => {
  const value = text?.trim() ?? "";
  return QVALUE.test(value) ? Number(value) : Number.NaN;
};

/**
 * Picks the best supported locale from an Accept-Language header (RFC 9110): the highest q wins,
 * the first among equals; q=0 means "not acceptable"; a malformed q counts as not acceptable.
 */
export function localeFromHeader(header: string | undefined): Locale {
  let best: Locale = "en";
  let bestQ = 0;
  for (const range of (header ?? "").split(",")) {
    const [tag, ...params] = range.split(";");
    const lang = tag.trim().split("-")[0].toLowerCase();
    if (!isLocale(lang)) continue;
    const qParam = params.map((p) => p.split("=")).find(([name]) => name.trim().toLowerCase() === "q");
    const q = qParam ? qValue(qParam[1]) : 1;
    if (q > bestQ) {
      best = lang;
      bestQ = q;
    }
  }
  return best;
}

/** The anonymous visitor's chosen language (the language switcher); a member's account setting wins over it. */
export const LANGUAGE_COOKIE = "cs_lang";

/** A visitor's language: the switcher's cookie when set, else the browser's Accept-Language. */
export function visitorLocale(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  return isLocale(cookie) ? cookie : localeFromHeader(acceptLanguage);
}
