import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const MAIN = path.join(import.meta.dirname, "../../src/cli/main.ts");

async function cli(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", MAIN, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("crowdservice claim-member --user", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-cli-claim-"));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test("refuses what is not a user id: not digits, or beyond the ids' range", async () => {
    for (const user of ["0x10", "1e3", "1.0", "2147483648", "99999999999999999999"]) {
      const result = await cli(
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
    const result = await cli(down, "claim-member", "--user", "2147483648", "--email", "ann@example.com");
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--user must be a user id, got "2147483648"/);
    const fine = await cli(down, "claim-member", "--user", "7", "--email", "ann@example.com");
    assert.equal(fine.code, 1);
    assert.match(fine.stderr, /Cannot connect to the database at 127\.0\.0\.1:1\/nothing/);
  });
});
