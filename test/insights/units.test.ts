import { test } from "node:test";
import assert from "node:assert/strict";
import { addYears } from "../../src/insights/insights.time.ts";

test("two calendar years on", () => {
  assert.deepEqual(
    ["2022-01-10", "2024-01-11", "2024-02-29", "2025-12-31"].map((d) => addYears(d, 2)),
    ["2024-01-10", "2026-01-11", "2026-03-01", "2027-12-31"],
  );
});
