import { test } from "node:test";
import assert from "node:assert/strict";
import { csvLine } from "../../src/marketplace/payments.ts";

test("CSV cells that a spreadsheet would run as formulas are defused; numbers and quoting stay", () => {
  assert.equal(
    csvLine(['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTV", "-12.50", "+3", 7, "a,b"]),
    `"'=HYPERLINK(""http://evil.example"",""x"")",'+1+1,'-2+3,'@SUM(A1),'\tTV,-12.50,+3,7,"a,b"`,
  );
});
