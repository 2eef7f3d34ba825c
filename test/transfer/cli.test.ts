import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { FIXTURE_DUMP } from "./support.ts";
import { cli } from "../cli/support.ts";

describe("the command line", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cs-cli-"));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test("lists its commands and explains each one with --help", async () => {
    const overview = await cli(dataDir, "--help");
    assert.equal(overview.code, 0);
    for (const command of ["import stackexchange", "import crowdservice", "export", "backup", "restore"])
      assert.match(overview.stdout, new RegExp(`^  ${command} `, "m"));
    const help = await cli(dataDir, "import", "stackexchange", "--help");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: crowdservice import stackexchange --dir DIR --community SLUG \[--name NAME\]/);
    // "help COMMAND" is the same as "COMMAND --help" (it printed the overview).
    const asked = await cli(dataDir, "help", "export");
    assert.equal(asked.code, 0);
    assert.equal(asked.stdout, (await cli(dataDir, "export", "--help")).stdout);
    assert.match(asked.stdout, /Usage: crowdservice export /);
    const group = await cli(dataDir, "help", "import");
    assert.match(group.stdout, /^ {2}import stackexchange /m, "a group still lists its commands");
  });

  test("bad input exits non-zero with a message that says what is wrong", async () => {
    const missing = await cli(dataDir, "import", "stackexchange", "--community", "demo");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--dir is required/);
    const unknown = await cli(dataDir, "export", "--community", "demo", "--out", "x", "--colour");
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown option '--colour'/);
    const typo = await cli(dataDir, "exprot");
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown command "exprot"/);
    const noDir = await cli(dataDir, "import", "stackexchange", "--dir", "/nonexistent", "--community", "demo");
    assert.equal(noDir.code, 1);
    assert.match(noDir.stderr, /No such directory: \/nonexistent/);
    const badSlug = await cli(dataDir, "import", "stackexchange", "--dir", FIXTURE_DUMP, "--community", "Not A Slug");
    assert.equal(badSlug.code, 1);
    assert.match(badSlug.stderr, /lowercase letters, digits and dashes/);
    const longName = await cli(
      dataDir,
      "import",
      "stackexchange",
      "--dir",
      FIXTURE_DUMP,
      "--community",
      "demo",
      "--name",
      "N".repeat(81),
    );
    assert.equal(longName.code, 1, "a name too long is refused, not cut without a word");
    assert.match(longName.stderr, /name/);
  });

  test("imports a dump, exports the community and backs the database up", async () => {
    const imported = await cli(dataDir, "import", "stackexchange", "--dir", FIXTURE_DUMP, "--community", "demo");
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /Imported demo\.stackexchange\.com into \/c\/demo .*\(community created\)/);
    assert.match(imported.stdout, /topics: 3/);
    const archive = path.join(dataDir, "demo.jsonl.gz");
    const exported = await cli(dataDir, "export", "--community", "demo", "--out", archive);
    assert.equal(exported.code, 0, exported.stderr);
    assert.ok(fs.statSync(archive).size > 0);
    const again = await cli(dataDir, "export", "--community", "demo", "--out", archive);
    assert.equal(again.code, 1, "an existing archive is not overwritten");
    assert.match(again.stderr, /exists already/);
    assert.ok(!fs.existsSync(`${archive}.partial`));
    const backup = path.join(dataDir, "backup.sqlite");
    const backedUp = await cli(dataDir, "backup", "--out", backup);
    assert.equal(backedUp.code, 0, backedUp.stderr);
    const restored = await cli(path.join(dataDir, "restored"), "restore", "--file", backup);
    assert.equal(restored.code, 0, restored.stderr);
    assert.ok(fs.existsSync(path.join(dataDir, "restored", "crowdservice.sqlite")));
  });
});
