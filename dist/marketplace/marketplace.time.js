const formats = new Map();
function formatFor(timezone) {
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
        });
        formats.set(timezone, format);
    }
    return format;
}
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
/** Wall-clock parts of an instant in a time zone: weekday (0 = Sunday), date and minutes since midnight. */
export function localParts(ms, timezone) {
    const parts = Object.fromEntries(formatFor(timezone)
        .formatToParts(ms)
        .map((p) => [p.type, p.value]));
    return {
        weekday: WEEKDAYS.indexOf(parts.weekday),
        date: `${parts.year}-${parts.month}-${parts.day}`,
        minutes: Number(parts.hour) * 60 + Number(parts.minute),
    };
}
const toMinutes = (hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
/** Whether [startsAt, endsAt) lies inside one of the weekly slots, on one day of the community's time zone. */
export function withinAvailability(slots, startsAt, endsAt, timezone) {
    const start = localParts(startsAt, timezone);
    const end = localParts(endsAt, timezone);
    const endMinutes = end.date === start.date ? end.minutes : end.minutes === 0 && endsAt - startsAt <= 24 * 3600_000 ? 24 * 60 : -1;
    if (endMinutes < 0)
        return false;
    return slots.some((s) => s.day === start.weekday && toMinutes(s.start) <= start.minutes && toMinutes(s.end) >= endMinutes);
}
/** The instant a wall-clock date and time ("2026-03-02", "14:30") denotes in a time zone (forms send local times). */
export function zonedTime(date, time, timezone) {
    const [y, m, d] = date.split("-").map(Number);
    const asUtc = Date.UTC(y, m - 1, d, Number(time.slice(0, 2)), Number(time.slice(3, 5)));
    let guess = asUtc;
    // Two rounds settle the offset, also across a daylight saving change.
    for (let i = 0; i < 2; i++) {
        const p = localParts(guess, timezone);
        const [gy, gm, gd] = p.date.split("-").map(Number);
        const shown = Date.UTC(gy, gm - 1, gd, Math.floor(p.minutes / 60), p.minutes % 60);
        guess += asUtc - shown;
    }
    return guess;
}
