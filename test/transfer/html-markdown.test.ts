import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMarkdown } from "../../src/lib/markdown.ts";
import { htmlToMarkdown } from "../../src/transfer/html-markdown.ts";

/** What an imported body shows: its HTML through Markdown and the product's renderer. */
const shown = (html: string) => renderMarkdown(htmlToMarkdown(html));

test("text starting like a numbered list shows its number, without a stray backslash", () => {
  assert.equal(shown("<h2>1. Install</h2>"), "<h2>1. Install</h2>\n");
  assert.equal(shown("<p>2. Then run it</p>"), "<p>2. Then run it</p>\n");
  assert.equal(shown("<p>1986. A great year</p>"), "<p>1986. A great year</p>\n");
  assert.equal(shown("<p>3) Or this</p>"), "<p>3) Or this</p>\n");
});

test("text that looks like a heading, a rule or a heading's underline stays text", () => {
  assert.equal(shown("<p>#</p>"), "<p>#</p>\n");
  assert.equal(shown("<p>---</p>"), "<p>---</p>\n");
  assert.equal(shown("<p>Total<br>===</p>"), "<p>Total<br>\n===</p>\n");
  assert.equal(shown("<p>- not a list</p>"), "<p>- not a list</p>\n");
});

test("a table keeps its rows and cells apart, pipes in cells included", () => {
  const html =
    "<table><thead><tr><th>Name</th><th>a|b</th></tr></thead><tbody>\n" +
    "<tr><td>Bob</td><td><code>x|y</code></td></tr>\n<tr><td>only</td></tr></tbody></table>";
  assert.equal(htmlToMarkdown(html), "| Name | a\\|b |\n| --- | --- |\n| Bob | `x\\|y` |\n| only | |");
  const page = shown(html);
  for (const cell of ["<th>Name</th>", "<th>a|b</th>", "<td>Bob</td>", "<td><code>x|y</code></td>", "<td>only</td>"])
    assert.ok(page.includes(cell), cell);
});

test("spaces and line breaks at the edge of bold, italic or struck text are kept", () => {
  assert.equal(shown("<p><strong>Note: </strong>do this</p>"), "<p><strong>Note:</strong> do this</p>\n");
  assert.equal(shown("<p>a<em> b </em>c</p>"), "<p>a <em>b</em> c</p>\n");
  assert.equal(shown("<p><del>old </del>new</p>"), "<p><s>old</s> new</p>\n");
  assert.equal(shown("<p><b>Title<br></b>text</p>"), "<p><strong>Title</strong><br>\ntext</p>\n");
});
