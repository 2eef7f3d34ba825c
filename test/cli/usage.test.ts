import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { cli, MAIN } from "./support.ts";

describe("crowdservice: help and unknown commands", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-cli-usage-"));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test("help on an unknown command is a mistake (exit 2), not the overview with success", async () => {
    for (const args of [
      ["help", "exprot"],
      ["exprot", "--help"],
    ]) {
      const result = await cli(dataDir, ...args);
      assert.equal(result.code, 2, args.join(" "));
      assert.match(result.stderr, /unknown command "exprot"/, args.join(" "));
      assert.equal(result.stdout, "", args.join(" "));
    }
  });

  test("help on nothing, on a group or on a command still answers with success", async () => {
    for (const [args, shows] of [
      [["help"], /Commands:/],
      [["--help"], /Commands:/],
      [["help", "import"], /import crowdservice/],
      [["help", "export"], /Usage: crowdservice export/],
    ] as const) {
      const result = await cli(dataDir, ...args);
      assert.equal(result.code, 0, args.join(" "));
      assert.match(result.stdout, shows, args.join(" "));
    }
    const group = await cli(dataDir, "import");
    assert.equal(group.code, 2, "a group alone is incomplete");
    assert.match(group.stderr, /import crowdservice/);
  });

  test("help asked before the command's words is that command's help", async () => {
    for (const [args, shows] of [
      [["-h", "export"], /^Usage: crowdservice export --community SLUG/],
      [["--help", "import", "stackexchange"], /^Usage: crowdservice import stackexchange --dir DIR/],
      [["import", "-h", "crowdservice"], /^Usage: crowdservice import crowdservice --file FILE/],
    ] as const) {
      const result = await cli(dataDir, ...args);
      assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stdout, shows, args.join(" "));
    }
  });

  test("a reader that stops early (`crowdservice --help | true`) is no crash", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, "--help"], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // The pipe is closed before the help is written: the write fails with EPIPE.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const [code] = await once(child, "close");
    assert.equal(stderr, "", "no stack trace");
    assert.equal(code, 0);
  });
});
