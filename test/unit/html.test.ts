import { test } from "node:test";
import assert from "node:assert/strict";
import { html } from "../../src/web/html.ts";

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
