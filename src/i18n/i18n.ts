import { en as coreEn } from "./en.ts";
import { de as coreDe } from "./de.ts";
import { fr as coreFr } from "./fr.ts";
import { it as coreIt } from "./it.ts";
import { notificationMessages } from "../notifications/notifications.messages.ts";
import { searchMessages } from "../search/search.messages.ts";
import { routingMessages } from "../routing/routing.messages.ts";
import { escalationMessages } from "../escalation/escalation.messages.ts";
import { marketplaceMessages } from "../marketplace/marketplace.messages.ts";
import { reputationMessages } from "../reputation/reputation.messages.ts";
import { moderationMessages } from "../moderation/moderation.messages.ts";

/** English is the reference; a domain may bring its own messages, merged here into one catalog per language. */
const en = {
  ...coreEn,
  ...notificationMessages.en,
  ...searchMessages.en,
  ...routingMessages.en,
  ...escalationMessages.en,
  ...marketplaceMessages.en,
  ...reputationMessages.en,
  ...moderationMessages.en,
};
const de = {
  ...coreDe,
  ...notificationMessages.de,
  ...searchMessages.de,
  ...routingMessages.de,
  ...escalationMessages.de,
  ...marketplaceMessages.de,
  ...reputationMessages.de,
  ...moderationMessages.de,
};
const fr = {
  ...coreFr,
  ...notificationMessages.fr,
  ...searchMessages.fr,
  ...routingMessages.fr,
  ...escalationMessages.fr,
  ...marketplaceMessages.fr,
  ...reputationMessages.fr,
  ...moderationMessages.fr,
};
const it = {
  ...coreIt,
  ...notificationMessages.it,
  ...searchMessages.it,
  ...routingMessages.it,
  ...escalationMessages.it,
  ...marketplaceMessages.it,
  ...reputationMessages.it,
  ...moderationMessages.it,
};
export type MessageKey = keyof typeof en;

export const LOCALES = ["en", "de", "fr", "it"] as const;
export type Locale = (typeof LOCALES)[number];
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** Keys that come in a `.one` / `.other` pair, chosen by the count's plural category. */
export type PluralKey = { [K in MessageKey]: K extends `${infer Base}.one` ? Base : never }[MessageKey];
export type TranslatePlural = (key: PluralKey, count: number, params?: Params) => string;

const catalogs: Record<Locale, Partial<Record<MessageKey, string>>> = { en, de, fr, it };

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

/** The translator for a locale; a key missing in a catalog falls back to English. */
export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, params) => interpolate(catalog[key] ?? en[key], params);
}

const pluralTranslators = new Map<Locale, TranslatePlural>();

/** Picks `key.one` or `key.other` by the locale's plural rules and fills `{count}`. */
export function pluralTranslator(locale: Locale): TranslatePlural {
  let tn = pluralTranslators.get(locale);
  if (!tn) {
    const t = translator(locale);
    const rules = new Intl.PluralRules(locale);
    tn = (key, count, params) =>
      t(`${key}.${rules.select(count) === "one" ? "one" : "other"}` as MessageKey, { count, ...params });
    pluralTranslators.set(locale, tn);
  }
  return tn;
}

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
    const q = qParam ? Number(qParam[1]?.trim() || Number.NaN) : 1;
    if (q > bestQ) {
      best = lang;
      bestQ = q;
    }
  }
  return best;
}

const relativeFormats = new Map<Locale, Intl.RelativeTimeFormat>();
const dateFormats = new Map<Locale, Intl.DateTimeFormat>();

/** "3 minutes ago" in the given locale, from Intl; the UI shows relative times. */
export function relativeTime(locale: Locale, then: number, now: number): string {
  const seconds = Math.round((then - now) / 1000);
  let format = relativeFormats.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
    relativeFormats.set(locale, format);
  }
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["year", 31_536_000],
    ["month", 2_592_000],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [unit, size] of units)
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  return format.format(seconds, "second");
}

/** A full date and time in the given locale, e.g. for a tooltip next to a relative time (UTC). */
export function absoluteTime(locale: Locale, at: number): string {
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
    dateFormats.set(locale, format);
  }
  return `${format.format(at)} UTC`;
}
