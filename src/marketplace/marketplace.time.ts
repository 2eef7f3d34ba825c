import { wallClock, zonedInstant } from "../lib/zoned-time.ts";
import type { Slot } from "./marketplace.schema.ts";

/** Wall-clock parts of an instant in a time zone: weekday (0 = Sunday), date and minutes since midnight. */
function localParts(ms: number, timezone: string): { weekday: number; date: string; minutes: number } {
  const c = wallClock(ms, timezone);
  const date = `${c.year}-${String(c.month).padStart(2, "0")}-${String(c.day).padStart(2, "0")}`;
  return { weekday: c.weekday, date, minutes: c.hour * 60 + c.minute };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether [startsAt, endsAt) lies inside one of the weekly slots, on one day of the community's time zone. */
export function withinAvailability(slots: Slot[], startsAt: number, endsAt: number, timezone: string): boolean {
  const start = localParts(startsAt, timezone);
  const end = localParts(endsAt, timezone);
  const endMinutes =
    end.date === start.date ? end.minutes : end.minutes === 0 && endsAt - startsAt <= 24 * 3600_000 ? 24 * 60 : -1;
  if (endMinutes < 0) return false;
  return slots.some(
    (s) => s.day === start.weekday && toMinutes(s.start) <= start.minutes && toMinutes(s.end) >= endMinutes,
  );
}

/**
 * Whether an offer's weekly hours (stored as JSON) cover [startsAt, endsAt) in the community's time
 * zone: what booking a time, dispatching a job and taking a dispatched job all decide with.
 */
export function offerCovers(offer: { availability: string }, interval: Interval, timezone: string): boolean {
  return withinAvailability(JSON.parse(offer.availability) as Slot[], interval.startsAt, interval.endsAt, timezone);
}

/** How long one appointment of the slot picker lasts, and how far ahead it looks. */
export const SLOT_MINUTES = 60;
export const SLOT_DAYS = 14;
const SLOT_MS = SLOT_MINUTES * 60_000;

export interface Interval {
  startsAt: number;
  endsAt: number;
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** The calendar date `days` after a "YYYY-MM-DD" date, and its weekday (0 = Sunday). */
function dayAfter(date: string, days: number): { date: string; weekday: number } {
  const d = new Date(Date.parse(`${date}T00:00:00Z`) + days * 24 * 3600_000);
  return { date: d.toISOString().slice(0, 10), weekday: d.getUTCDay() };
}

/** The instant a weekly slot's "HH:MM" (or "24:00", the next midnight) is on a date in the zone. */
function instantOf(date: string, time: string, timezone: string): number {
  return time === "24:00"
    ? zonedInstant(dayAfter(date, 1).date, "00:00", timezone)
    : zonedInstant(date, time, timezone);
}

/**
 * Whether the wall-clock time read at `ms` also reads at another instant that day: the hour the
 * clocks go back repeats, so a slot there is told apart by its zone ("02:00 GMT+2" and "02:00 GMT+1").
 */
export function repeatedWallTime(ms: number, timezone: string): boolean {
  const { date, minutes } = localParts(ms, timezone);
  return zonedInstant(date, hhmm(minutes), timezone) !== ms - (ms % 60_000);
}

/**
 * The free appointments of `SLOT_MINUTES` from `from` over the next `days` calendar days of the
 * community's time zone: each weekly slot's real time that day cut into appointments (the night the
 * clocks go back, a slot of 01:00-04:00 holds four hours, the night they go forward two), minus any
 * that start by `from` or overlap a booked interval; sorted, without duplicates from overlapping
 * weekly slots.
 */
export function freeSlots(
  weekly: Slot[],
  booked: Interval[],
  range: { from: number; days: number; timezone: string },
): Interval[] {
  const { from, timezone } = range;
  const first = localParts(from, timezone).date;
  const free = new Map<number, Interval>();
  for (let d = 0; d < range.days; d++) {
    const { date, weekday } = dayAfter(first, d);
    for (const s of weekly.filter((w) => w.day === weekday)) {
      const windowEnd = instantOf(date, s.end, timezone);
      for (let startsAt = instantOf(date, s.start, timezone); startsAt + SLOT_MS <= windowEnd; startsAt += SLOT_MS) {
        const slot = { startsAt, endsAt: startsAt + SLOT_MS };
        if (startsAt <= from || free.has(startsAt)) continue;
        if (!booked.some((b) => b.startsAt < slot.endsAt && b.endsAt > slot.startsAt)) free.set(startsAt, slot);
      }
    }
  }
  return [...free.values()].sort((a, b) => a.startsAt - b.startsAt);
}
