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

test("adjacent runs of the same emphasis show as one, without stray marks", () => {
  assert.equal(shown("<p><em>a</em><em>b</em></p>"), "<p><em>ab</em></p>\n");
  assert.equal(shown("<p><strong>x</strong><strong>y</strong></p>"), "<p><strong>xy</strong></p>\n");
  assert.equal(shown("<p>x<b>a</b><strong>b</strong>y</p>"), "<p>x<strong>ab</strong>y</p>\n");
  assert.equal(shown("<p><i>a</i><!-- note --><em>b</em></p>"), "<p><em>ab</em></p>\n");
  assert.equal(shown("<p><strong><em>a</em></strong><strong>b</strong></p>"), "<p><strong><em>a</em>b</strong></p>\n");
  assert.equal(shown("<p><em>a</em><strong>b</strong></p>"), "<p><em>a</em><strong>b</strong></p>\n");
});

test("an ordered list keeps its start number", () => {
  assert.equal(htmlToMarkdown('<ol start="3"><li>a</li><li>b</li></ol>'), "3. a\n4. b");
  assert.equal(shown('<ol start="3"><li>a</li><li>b</li></ol>'), '<ol start="3">\n<li>a</li>\n<li>b</li>\n</ol>\n');
  assert.equal(shown('<ol start="0"><li>a</li></ol>'), '<ol start="0">\n<li>a</li>\n</ol>\n');
  // A start Markdown cannot write (negative, or ten digits by the last item) starts at 1.
  assert.equal(htmlToMarkdown('<ol start="-2"><li>a</li></ol>'), "1. a");
  assert.equal(htmlToMarkdown('<ol start="999999999"><li>a</li><li>b</li></ol>'), "1. a\n2. b");
});

test("an address the page showed in angle brackets stays text, not an autolink", () => {
  // The brackets show; the address inside is linked as any bare one is (the renderer's linkify).
  assert.equal(
    shown("<p>&lt;http://example.com&gt;</p>"),
    '<p>&lt;<a href="http://example.com" rel="nofollow ugc noopener">http://example.com</a>&gt;</p>\n',
  );
  assert.equal(shown("<p>Mail &lt;me@example.com&gt;</p>"), "<p>Mail &lt;me@example.com&gt;</p>\n");
  // Inside a link's text it is not a second link in the first.
  assert.equal(
    shown('<p><a href="http://x.com">&lt;http://example.com&gt;</a></p>'),
    '<p><a href="http://x.com" rel="nofollow ugc noopener">&lt;http://example.com&gt;</a></p>\n',
  );
});
