import { wallClock } from "../lib/zoned-time.ts";
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
