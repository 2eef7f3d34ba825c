/**
 * Calendar days in a community's time zone. Dates are "YYYY-MM-DD" strings; instants are epoch ms.
 * A day runs from its local midnight to the next one, so a day is 23 or 25 hours around DST changes.
 */
import { zonedInstant } from "../lib/zoned-time.ts";

export { canonicalTimeZone, isTimeZone, localDate } from "../lib/zoned-time.ts";

export type Interval = "day" | "week" | "month";

const DAY_MS = 86_400_000;

/**
 * The instant at which a local date begins: its midnight, the first instant after a skipped one
 * (Santiago, Havana, Asunción change their clocks at midnight), or the first of a repeated one.
 */
export function startOfDate(date: string, timezone: string): number {
  return zonedInstant(date, "00:00", timezone);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The same day `years` later; a 29 February without one that year becomes 1 March. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** The first date of the interval holding `date`: itself, its Monday, or the first of its month. */
function intervalStart(date: string, interval: Interval): string {
  if (interval === "day") return date;
  if (interval === "month") return `${date.slice(0, 7)}-01`;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

function nextIntervalStart(start: string, interval: Interval): string {
  if (interval === "day") return addDays(start, 1);
  if (interval === "week") return addDays(start, 7);
  const d = new Date(`${start}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

/** A range cut into intervals; the first and last are clipped to the range. */
export interface Buckets {
  /** The first local date of each bucket. */
  dates: string[];
  /** The instant each bucket begins, and after them the end of the range. */
  bounds: number[];
}

export function bucketsOf(from: string, to: string, interval: Interval, timezone: string): Buckets {
  const dates: string[] = [];
  for (let d = from; d <= to; d = nextIntervalStart(intervalStart(d, interval), interval)) dates.push(d);
  const bounds = [...dates, addDays(to, 1)].map((d) => startOfDate(d, timezone));
  return { dates, bounds };
}

/** The bucket holding an instant, or -1 outside the range (binary search over the bounds). */
export function bucketOf(buckets: Buckets, ms: number): number {
  const { bounds } = buckets;
  if (ms < bounds[0] || ms >= bounds[bounds.length - 1]) return -1;
  let low = 0;
  let high = bounds.length - 2;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (bounds[mid] <= ms) low = mid;
    else high = mid - 1;
  }
  return low;
}
