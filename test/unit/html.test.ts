import { test } from "node:test";
import assert from "node:assert/strict";
import { fill, html, raw } from "../../src/web/html.ts";

test("a line break and its indentation in a template's text render as one space, so views wrap freely", () => {
  const title = "Tom & <Jerry>";
  const out = html`<a class="button"
    href="/t/1" title="${title}">${"line\n    kept"}</a>
<p>unindented lines stay</p>`;
  assert.equal(
    out.value,
    '<a class="button" href="/t/1" title="Tom &amp; &lt;Jerry&gt;">line\n    kept</a>\n<p>unindented lines stay</p>',
  );
});

test("markup knows whether it holds a table, through templates, lists and translations", () => {
  assert.equal(html`<p>${"<table>"} is text</p>`.tables, false, "an escaped string brings no table");
  assert.equal(html`<table><tr><td>${1}</td></tr></table>`.tables, true);
  assert.equal(html`<div>${raw("<table><tr><td>a</td></tr></table>")}</div>`.tables, true, "sanitized Markdown");
  assert.equal(html`<ul>${[html`<li>a</li>`, html`<li>${html`<table></table>`}</li>`]}</ul>`.tables, true);
  assert.equal(html`<ul>${[html`<li>a</li>`, html`<li>b</li>`]}</ul>`.tables, false);
  assert.equal(fill("See {what}", { what: raw("<table></table>") }).tables, true);
  assert.equal(fill("See {what}", { what: "<table>" }).tables, false);
});
