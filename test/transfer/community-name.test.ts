import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import { ensureCommunity } from "../../src/transfer/transfer.community.ts";

describeEachDatabase("an imported community's name", (env) => {
  test("a name from elsewhere on several lines is made one line, not refused", async () => {
    const { community, created } = await ensureCommunity(
      env().deps,
      "imported-site",
      "Cardano\r\nStack\u202e Exchange",
    );
    assert.equal(created, true);
    assert.equal(community.name, "Cardano Stack Exchange");
  });
});
