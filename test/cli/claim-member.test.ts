import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { runCli } from "./support.ts";

describe("crowdservice claim-member --user", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-cli-claim-"));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test("refuses what is not a user id: not digits, or beyond the ids' range", async () => {
    for (const user of ["0x10", "1e3", "1.0", "2147483648", "99999999999999999999"]) {
      const result = await runCli(
        { DATA_DIR: dataDir, DATABASE_URL: "" },
        "claim-member",
        "--user",
        user,
        "--email",
        "ann@example.com",
      );
      assert.equal(result.code, 1, user);
      assert.equal(result.stderr, `crowdservice: --user must be a user id, got "${user}"\n`, user);
    }
  });

  test("says what is wrong with the input before it needs the database", async () => {
    // A PostgreSQL server that is down: the answer is about the id (on PostgreSQL an id past 2^31
    // used to come back as the server's "value ... is out of range for type integer").
    const down = { DATA_DIR: dataDir, DATABASE_URL: "postgres://postgres@127.0.0.1:1/nothing" };
    const result = await runCli(down, "claim-member", "--user", "2147483648", "--email", "ann@example.com");
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--user must be a user id, got "2147483648"/);
    const fine = await runCli(down, "claim-member", "--user", "7", "--email", "ann@example.com");
    assert.equal(fine.code, 1);
    assert.match(fine.stderr, /Cannot connect to the database at 127\.0\.0\.1:1\/nothing/);
  });
});
