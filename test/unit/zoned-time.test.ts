import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isTimeZone, localDate, wallClock, zonedInstant } from "../../src/lib/zoned-time.ts";

describe("zoned time", () => {
  it("reads the wall clock and the local date of an instant", () => {
    const instant = Date.parse("2026-12-06T23:30:00Z");
    assert.deepEqual(wallClock(instant, "Europe/Zurich"), {
      year: 2026,
      month: 12,
      day: 7,
      hour: 0,
      minute: 30,
      second: 0,
      weekday: 1,
    });
    assert.equal(localDate(instant, "Europe/Zurich"), "2026-12-07");
    assert.equal(localDate(instant, "America/New_York"), "2026-12-06");
  });

  it("turns a local date and time into the instant, across daylight saving changes", () => {
    assert.equal(
      new Date(zonedInstant("2026-07-01", "14:30", "Europe/Zurich")).toISOString(),
      "2026-07-01T12:30:00.000Z",
    );
    assert.equal(
      new Date(zonedInstant("2026-12-01", "00:00", "Europe/Zurich")).toISOString(),
      "2026-11-30T23:00:00.000Z",
    );
    // 02:30 does not exist on 29 March 2026 in Zurich: it moves forward by the hour skipped.
    assert.equal(
      new Date(zonedInstant("2026-03-29", "02:30", "Europe/Zurich")).toISOString(),
      "2026-03-29T01:30:00.000Z",
    );
    // West of UTC too (it moved back to 01:30 EST there): 8 March 2026 in New York skips 02:00-03:00.
    assert.equal(
      new Date(zonedInstant("2026-03-08", "02:30", "America/New_York")).toISOString(),
      "2026-03-08T07:30:00.000Z",
    );
    // Shown twice when the clocks turn back: the first time, still on summer time.
    assert.equal(
      new Date(zonedInstant("2026-11-01", "01:30", "America/New_York")).toISOString(),
      "2026-11-01T05:30:00.000Z",
    );
    assert.equal(
      new Date(zonedInstant("2026-10-25", "02:30", "Europe/Zurich")).toISOString(),
      "2026-10-25T00:30:00.000Z",
    );
    // Local mean time before 1894 was UTC+0:34:08: offsets with seconds come out exactly.
    assert.equal(
      new Date(zonedInstant("1850-01-01", "00:00", "Europe/Zurich")).toISOString(),
      "1849-12-31T23:25:52.000Z",
    );
  });

  it("knows IANA zones", () => {
    assert.equal(isTimeZone("Europe/Zurich"), true);
    assert.equal(isTimeZone("Mars/Olympus_Mons"), false);
  });
});
