import type { Locale } from "./i18n.ts";

/**
 * The one way the product writes a time for people (issue #16): pages, the notification list and
 * bell, and emails all ask here. An instant (epoch ms) is shown in the community's time zone and the
 * reader's locale: an absolute time with a relative hint ("Mon, 7 Dec 2026, 10:00 (in 5 days)"), or a
 * relative time whose absolute form is its tooltip. Intl formats are costly to build, so each
 * (locale, zone, style) is built once for the life of the process.
 */

type Style = "dateTime" | "day" | "time" | "zonedTime" | "weekdayDay";

const OPTIONS: Record<Style, Intl.DateTimeFormatOptions> = {
  /** "Mon, 7 Dec 2026, 10:00" (the locale's order and clock). */
  dateTime: { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" },
  /** "7 December 2026". */
  day: { day: "numeric", month: "long", year: "numeric" },
  /** "10:00". */
  time: { hour: "2-digit", minute: "2-digit" },
  /** "02:00 GMT+2": a time the zone's clock reads twice. */
  zonedTime: { hour: "2-digit", minute: "2-digit", timeZoneName: "short" },
  /** "Monday, 7 December 2026". */
  weekdayDay: { weekday: "long", day: "numeric", month: "long", year: "numeric" },
};

const formats = new Map<string, Intl.DateTimeFormat>();
const relativeFormats = new Map<Locale, Intl.RelativeTimeFormat>();

function formatOf(locale: Locale, timeZone: string, style: Style): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${style}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...OPTIONS[style], timeZone });
    if (formats.size > 2000) formats.clear();
    formats.set(key, format);
  }
  return format;
}

/** How a reader wants times: their locale, the community's zone, and the moment they read. */
export interface TimeReader {
  locale: Locale;
  timeZone: string;
  now: number;
}

/**
 * Absolute times already written, by locale, zone and instant. Every post's byline and every
 * comment carries one as its tooltip, so a topic page writes dozens, the same ones on every view;
 * formatting costs microseconds each, a lookup a tenth of that. Bounded like the relative texts:
 * 5,000 is some two hundred topic pages' worth, and a few hundred kilobytes.
 */
const dateTimeTexts = new Map<string, string>();
const DATE_TIME_TEXTS_MAX = 5_000;

/** "Mon, 7 Dec 2026, 10:00" in the zone. */
export function dateTime(locale: Locale, at: number, timeZone: string): string {
  const key = `${locale}|${timeZone}|${at}`;
  let text = dateTimeTexts.get(key);
  if (text === undefined) {
    text = formatOf(locale, timeZone, "dateTime").format(at);
    if (dateTimeTexts.size >= DATE_TIME_TEXTS_MAX) dateTimeTexts.clear();
    dateTimeTexts.set(key, text);
  }
  return text;
}

/** "7 December 2026": a day that matters as a date (an expiry). */
export function calendarDay(locale: Locale, at: number, timeZone: string): string {
  return formatOf(locale, timeZone, "day").format(at);
}

/** "10:00". */
export function clockTime(locale: Locale, at: number, timeZone: string): string {
  return formatOf(locale, timeZone, "time").format(at);
}

/** "02:00 GMT+2" (the zone's short name in the locale): a clock time that reads twice that day. */
export function zonedClockTime(locale: Locale, at: number, timeZone: string): string {
  return formatOf(locale, timeZone, "zonedTime").format(at);
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 31_536_000],
  ["month", 2_592_000],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
];

/**
 * Relative times already written, by locale, unit and amount: a page shows dozens, formatting one
 * costs microseconds, and there are only a few hundred of them ("3 hours ago", "in 5 days").
 */
const relativeTexts = new Map<string, string>();

/** "3 minutes ago", "in 5 days". */
export function relativeTime(locale: Locale, then: number, now: number): string {
  const seconds = Math.round((then - now) / 1000);
  // Under a second (0) is "now": the seconds' unit, the last one.
  const [unit, size] = RELATIVE_UNITS.find(([, size]) => Math.abs(seconds) >= size) ?? RELATIVE_UNITS.at(-1)!;
  const amount = Math.trunc(seconds / size);
  const key = `${locale}|${unit}|${amount}`;
  let text = relativeTexts.get(key);
  if (text === undefined) {
    let format = relativeFormats.get(locale);
    if (!format) {
      format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
      relativeFormats.set(locale, format);
    }
    text = format.format(amount, unit);
    if (relativeTexts.size > 5000) relativeTexts.clear();
    relativeTexts.set(key, text);
  }
  return text;
}

/** "Mon, 7 Dec 2026, 10:00 (in 5 days)": an appointment, a deadline, a time in a notification or email. */
export function dateTimeWithHint(reader: TimeReader, at: number): string {
  return `${dateTime(reader.locale, at, reader.timeZone)} (${relativeTime(reader.locale, at, reader.now)})`;
}

/** "Monday, 7 December 2026, 10:00 – 11:30": an appointment from its start to its end, in the zone. */
export function timeRange(locale: Locale, startsAt: number, endsAt: number, timeZone: string): string {
  const day = formatOf(locale, timeZone, "weekdayDay");
  const sameDay = day.format(startsAt) === day.format(endsAt);
  const end = sameDay ? clockTime(locale, endsAt, timeZone) : dateTime(locale, endsAt, timeZone);
  return `${day.format(startsAt)}, ${clockTime(locale, startsAt, timeZone)} – ${end}`;
}

/** "Monday, 7 December 2026": a day heading (the booking form's slot picker). */
export function longDay(locale: Locale, at: number, timeZone: string): string {
  return formatOf(locale, timeZone, "weekdayDay").format(at);
}
