import { test } from "node:test";
import assert from "node:assert/strict";
import { cell } from "../../src/insights/insights.csv.ts";
import { nextExpectationsRun } from "../../src/insights/insights.jobs.ts";
import { addYears } from "../../src/insights/insights.time.ts";

test("insights CSV cells: numbers as they are, text a spreadsheet would run as a formula defused", () => {
  assert.deepEqual([-500, 0, 1 / 3, 2.5, null, undefined, "2026-01-10"].map(cell), [
    "-500",
    "0",
    "0.3333",
    "2.5",
    "",
    "",
    "2026-01-10",
  ]);
  assert.deepEqual(
    ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTV", "-12.50", "a,b"].map(cell),
    [`"'=HYPERLINK(""http://evil.example"",""x"")"`, "'+1+1", "'-2+3", "'@SUM(A1)", "'\tTV", "-12.50", '"a,b"'],
  );
});

test("the expectations job runs at the next 03:00 UTC: today's while it is ahead", () => {
  const at = (day: number, hour: number, minute = 0) => Date.UTC(2026, 2, day, hour, minute);
  assert.equal(nextExpectationsRun(at(4, 1)), at(4, 3), "started at 01:00: today, not tomorrow");
  assert.equal(nextExpectationsRun(at(4, 3)), at(5, 3), "run at 03:00: tomorrow");
  assert.equal(nextExpectationsRun(at(4, 3, 1)), at(5, 3));
  assert.equal(nextExpectationsRun(at(4, 23, 59)), at(5, 3));
});

test("two calendar years on", () => {
  assert.deepEqual(
    ["2022-01-10", "2024-01-11", "2024-02-29", "2025-12-31"].map((d) => addYears(d, 2)),
    ["2024-01-10", "2026-01-11", "2026-03-01", "2027-12-31"],
  );
});
