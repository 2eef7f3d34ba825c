import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { after, describe, test } from "node:test";
import { FIXTURE_DUMP } from "../transfer/support.ts";
import { cli } from "./support.ts";

describe("the command line's progress output", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "cs-cli-progress-"));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test("a phase that fails after reporting progress is not said to be done", async () => {
    // The fixture dump, with a Comments file whose first batch (500 rows) imports and which then
    // breaks off: a gzip stream cut before its trailer.
    const dump = path.join(root, "demo.stackexchange.com");
    fs.cpSync(FIXTURE_DUMP, dump, { recursive: true });
    for (const name of fs.readdirSync(dump)) if (name.startsWith("Comments.")) fs.rmSync(path.join(dump, name));
    const rows = Array.from(
      { length: 600 },
      (_, i) => `  <row Id="${9000 + i}" PostId="999999" Score="0" Text="t" CreationDate="2020-01-01T00:00:00.000" />`,
    );
    const xml = `<?xml version="1.0" encoding="utf-8"?>\n<comments>\n${rows.join("\n")}\n</comments>\n`;
    const gzip = zlib.gzipSync(xml);
    fs.writeFileSync(path.join(dump, "Comments.xml.gz"), gzip.subarray(0, gzip.length - 8));

    const result = await cli(path.join(root, "data"), "import", "stackexchange", "--dir", dump, "--community", "demo");
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /Comments\.xml\.gz is not a readable dump file/);
    assert.match(result.stderr, /^Posts: done$/m, "finished phases are still reported");
    assert.match(result.stderr, /^Comments: failed$/m);
    assert.doesNotMatch(result.stderr, /^Comments: done$/m);
    assert.doesNotMatch(result.stdout, /Imported/);
  });
});
