import { test } from "node:test";
import assert from "node:assert/strict";
import { freeSlots } from "../../src/marketplace/marketplace.time.ts";
import { slotLabel } from "../../src/marketplace/slots.views.ts";

const iso = (slots: { startsAt: number; endsAt: number }[]) =>
  slots.map((s) => `${new Date(s.startsAt).toISOString()}/${new Date(s.endsAt).toISOString()}`);

test("free slots: overlapping weekly hours give each appointment once, booked ones are left out", () => {
  // Thursday 1 January 2026, 07:00 in Zurich; Thursday is day 4.
  const from = Date.UTC(2026, 0, 1, 6);
  const weekly = [
    { day: 4, start: "08:00", end: "10:00" },
    { day: 4, start: "09:00", end: "11:30" },
  ];
  const booked = [{ startsAt: Date.UTC(2026, 0, 8, 7, 30), endsAt: Date.UTC(2026, 0, 8, 8, 15) }];
  assert.deepEqual(iso(freeSlots(weekly, booked, { from, days: 8, timezone: "Europe/Zurich" })), [
    "2026-01-01T07:00:00.000Z/2026-01-01T08:00:00.000Z",
    "2026-01-01T08:00:00.000Z/2026-01-01T09:00:00.000Z",
    "2026-01-01T09:00:00.000Z/2026-01-01T10:00:00.000Z",
    "2026-01-08T09:00:00.000Z/2026-01-08T10:00:00.000Z",
  ]);
});

test("free slots across the spring daylight-saving change keep to the wall-clock hours", () => {
  // Sunday 29 March 2026 in Zurich: 02:00 does not exist (clocks jump to 03:00, UTC+2).
  const from = Date.UTC(2026, 2, 28, 12);
  const slots = freeSlots([{ day: 0, start: "03:00", end: "05:00" }], [], {
    from,
    days: 2,
    timezone: "Europe/Zurich",
  });
  assert.deepEqual(iso(slots), [
    "2026-03-29T01:00:00.000Z/2026-03-29T02:00:00.000Z",
    "2026-03-29T02:00:00.000Z/2026-03-29T03:00:00.000Z",
  ]);
});

test("free slots the night the clocks go back cover the repeated hour, each told apart by its zone", () => {
  // Sunday 25 October 2026 in Zurich: 03:00 UTC+2 becomes 02:00 UTC+1, so 02:00-03:00 reads twice.
  const from = Date.UTC(2026, 9, 24, 12);
  const slots = freeSlots([{ day: 0, start: "01:00", end: "04:00" }], [], {
    from,
    days: 2,
    timezone: "Europe/Zurich",
  });
  assert.deepEqual(iso(slots), [
    "2026-10-24T23:00:00.000Z/2026-10-25T00:00:00.000Z",
    "2026-10-25T00:00:00.000Z/2026-10-25T01:00:00.000Z",
    "2026-10-25T01:00:00.000Z/2026-10-25T02:00:00.000Z",
    "2026-10-25T02:00:00.000Z/2026-10-25T03:00:00.000Z",
  ]);
  const labels = slots.map((s) =>
    slotLabel(
      "de",
      { startsAt: new Date(s.startsAt).toISOString(), endsAt: new Date(s.endsAt).toISOString() },
      "Europe/Zurich",
    ),
  );
  assert.deepEqual(labels, ["01:00–02:00", "02:00 MESZ–02:00 MEZ", "02:00 MEZ–03:00 MEZ", "03:00–04:00"]);
});
