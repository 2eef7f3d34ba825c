import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeEntities } from "../../src/lib/html-entities.ts";
import { htmlToMarkdown } from "../../src/transfer/html-markdown.ts";

test("character references are decoded; an unknown name stays as written, also one every object has", () => {
  assert.equal(decodeEntities("Tom &amp; Jerry &#39;&#x41;&COPY;"), "Tom & Jerry 'A©");
  for (const name of ["bogus", "constructor", "toString", "valueOf", "hasOwnProperty", "__proto__"])
    assert.equal(decodeEntities(`a &${name}; b`), `a &${name}; b`, name);
  // As an imported post: the text, not a function's source.
  assert.doesNotMatch(htmlToMarkdown("<p>a &constructor; b</p>"), /function|native code/);
});
