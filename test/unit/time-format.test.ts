import { test } from "node:test";
import assert from "node:assert/strict";
import {
  calendarDay,
  clockTime,
  dateTime,
  dateTimeWithHint,
  relativeTime,
  timeRange,
} from "../../src/i18n/time-format.ts";

const DAY = 86_400_000;

test("an instant is shown on the community's wall clock, in and out of daylight saving time", () => {
  // 09:00 UTC is 10:00 in Zurich in winter (CET) and 11:00 in summer (CEST).
  assert.equal(clockTime("de", Date.UTC(2026, 11, 7, 9), "Europe/Zurich"), "10:00");
  assert.equal(clockTime("de", Date.UTC(2026, 6, 7, 9), "Europe/Zurich"), "11:00");
  // The spring change: 00:59 UTC is 01:59 CET, 01:00 UTC is already 03:00 CEST.
  assert.equal(clockTime("de", Date.UTC(2026, 2, 29, 0, 59), "Europe/Zurich"), "01:59");
  assert.equal(clockTime("de", Date.UTC(2026, 2, 29, 1, 0), "Europe/Zurich"), "03:00");
  assert.equal(clockTime("en", Date.UTC(2026, 11, 7, 9), "America/New_York"), "04:00 AM");
});

test("the day is the zone's, across midnight", () => {
  // 23:30 UTC on 6 December is already 7 December in Zurich, still 6 December in New York.
  const at = Date.UTC(2026, 11, 6, 23, 30);
  assert.equal(calendarDay("en", at, "UTC"), "December 6, 2026");
  assert.equal(calendarDay("en", at, "Europe/Zurich"), "December 7, 2026");
  assert.equal(calendarDay("de", at, "America/New_York"), "6. Dezember 2026");
  assert.equal(dateTime("fr", at, "Europe/Zurich"), "lun. 7 déc. 2026, 00:30");
});

test("an instant written once is written again for each locale and zone of its own", () => {
  // Absolute times are kept once written; what is kept must not cross locales or zones.
  const at = Date.UTC(2026, 11, 7, 9);
  assert.equal(dateTime("en", at, "UTC"), "Mon, Dec 7, 2026, 09:00 AM");
  assert.equal(dateTime("en", at, "Europe/Zurich"), "Mon, Dec 7, 2026, 10:00 AM");
  assert.equal(dateTime("de", at, "Europe/Zurich"), "Mo., 7. Dez. 2026, 10:00");
  assert.equal(dateTime("en", at, "UTC"), "Mon, Dec 7, 2026, 09:00 AM");
  assert.equal(dateTime("en", at + 60_000, "UTC"), "Mon, Dec 7, 2026, 09:01 AM");
});

test("the four locales write the same instant their own way", () => {
  const at = Date.UTC(2026, 11, 7, 9);
  const reader = (locale: "en" | "de" | "fr" | "it") => ({ locale, timeZone: "Europe/Zurich", now: at - 5 * DAY });
  assert.equal(dateTimeWithHint(reader("en"), at), "Mon, Dec 7, 2026, 10:00 AM (in 5 days)");
  assert.equal(dateTimeWithHint(reader("de"), at), "Mo., 7. Dez. 2026, 10:00 (in 5 Tagen)");
  assert.equal(dateTimeWithHint(reader("fr"), at), "lun. 7 déc. 2026, 10:00 (dans 5 jours)");
  assert.equal(dateTimeWithHint(reader("it"), at), "lun 7 dic 2026, 10:00 (tra 5 giorni)");
});

test("relative times name the largest whole unit, past and future", () => {
  const now = Date.UTC(2026, 0, 1);
  assert.equal(relativeTime("en", now - 3 * 3_600_000, now), "3 hours ago");
  assert.equal(relativeTime("de", now - 3 * 3_600_000, now), "vor 3 Stunden");
  assert.equal(relativeTime("en", now + 2 * 365 * DAY, now), "in 2 years");
  assert.equal(relativeTime("it", now - DAY, now), "ieri");
});

test("an appointment range names its day once, or both ends when it crosses midnight", () => {
  const start = Date.UTC(2026, 11, 7, 9);
  assert.equal(
    timeRange("en", start, start + 90 * 60_000, "Europe/Zurich"),
    "Monday, December 7, 2026, 10:00 AM – 11:30 AM",
  );
  assert.equal(timeRange("de", start, start + 90 * 60_000, "Europe/Zurich"), "Montag, 7. Dezember 2026, 10:00 – 11:30");
  const late = Date.UTC(2026, 11, 7, 22);
  assert.equal(
    timeRange("de", late, late + 2 * 3_600_000, "Europe/Zurich"),
    "Montag, 7. Dezember 2026, 23:00 – Di., 8. Dez. 2026, 01:00",
  );
});
