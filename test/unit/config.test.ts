import { test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "../../src/core/config.ts";

test("a number setting is digits or nothing: a blank or oddly written value stops the start", () => {
  assert.equal(loadConfig({ PORT: "8080" }).port, 8080);
  assert.equal(loadConfig({ PORT: "" }).port, loadConfig({}).port, "empty: the default");
  for (const [name, raw] of [
    ["RATE_LIMIT_LOGIN", "\t"], // Number() reads it as 0: every login refused
    ["PORT", " "], // port 0: a random port
    ["PORT", "0x1F90"],
    ["PORT", "8e3"],
    ["PORT", "-1"],
    ["PORT", "80.5"],
  ])
    assert.throws(
      () => loadConfig({ [name]: raw }),
      new RegExp(`${name} must be a non-negative integer`),
      `${name}=${raw}`,
    );
});
