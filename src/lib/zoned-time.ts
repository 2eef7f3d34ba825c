import { DAY_MS } from "./durations.ts";

/**
 * Wall-clock reading of instants in IANA time zones, shared by every domain that works in a
 * community's local time (insights' calendar days, marketplace availability). Instants are epoch ms.
 */

export interface WallClock {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday. */
  weekday: number;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
// Intl.DateTimeFormat is costly to build; one per zone is kept for the life of the process.
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timezone: string): Intl.DateTimeFormat {
  let format = formats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formats.set(timezone, format);
  }
  return format;
}

export function isTimeZone(name: string): boolean {
  try {
    formatFor(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone's canonical IANA name ("utc" and "Etc/UTC" are "UTC"): a setting stores one spelling per
 * zone, so saving another spelling of the same zone changes nothing.
 */
export function canonicalTimeZone(name: string): string {
  return formatFor(name).resolvedOptions().timeZone;
}

/** What a clock in the zone shows at the instant. */
export function wallClock(ms: number, timezone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const part of formatFor(timezone).formatToParts(ms)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday),
  };
}

/** The wall-clock reading of an instant, as if that reading were UTC: reading − instant is the zone's offset. */
function wallClockAsUtc(ms: number, timezone: string): number {
  const c = wallClock(ms, timezone);
  return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
}

/** The local calendar date ("YYYY-MM-DD") of an instant. */
export function localDate(ms: number, timezone: string): string {
  return new Date(wallClockAsUtc(ms, timezone)).toISOString().slice(0, 10);
}

/** Whether "YYYY-MM-DD" and "HH:MM" name a real day and time of day (not 2026-02-31, not 25:00). */
export function isWallClock(date: string, time: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return false;
  const midnight = Date.parse(`${date}T00:00:00Z`);
  // Date.parse rolls 2026-02-31 over into March: the day must read back the same.
  return Number.isFinite(midnight) && new Date(midnight).toISOString().startsWith(date);
}

/**
 * The instant a local date and time ("2026-03-02", "14:30") denotes in the zone. A time skipped by
 * a daylight-saving change moves forward by the gap (02:30 becomes 03:30), so a skipped midnight
 * still gives the first instant of the day; a time shown twice (clocks turned back) is its first.
 */
export function zonedInstant(date: string, time: string, timezone: string): number {
  const asUtc = Date.parse(`${date}T${time}:00Z`);
  const offset = (ms: number) => wallClockAsUtc(ms, timezone) - (ms - (ms % 1000));
  // The zone's offsets a day either side: the reading is the instant minus one of them (the same
  // one unless the clocks change in between, which they do at most once a day).
  const [before, after] = [offset(asUtc - DAY_MS), offset(asUtc + DAY_MS)];
  const earlier = asUtc - before;
  const later = asUtc - after;
  const shows = (ms: number) => wallClockAsUtc(ms, timezone) === asUtc;
  const candidates = [earlier, later].filter(shows).sort((a, b) => a - b);
  // Shown at no instant (skipped): the offset before the change carries it past the gap.
  return candidates[0] ?? earlier;
}
