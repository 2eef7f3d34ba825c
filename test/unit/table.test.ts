import { test } from "node:test";
import assert from "node:assert/strict";
import { labelTableCells } from "../../src/web/table.ts";

test("body cells take their column's heading as a label; headings' markup is dropped", () => {
  const page = `<p>x</p><table class="t"><caption>C</caption><thead><tr><th scope="col">When</th>
<th scope="col"><span>Who &amp; why</span></th><th scope="col"></th></tr></thead>
<tbody><tr><th scope="row">today</th><td><a href="/u">Ann</a></td><td>-</td></tr>
<tr><td>yesterday</td><td>Bob</td><td class="x">+</td></tr></tbody></table>`;
  const labelled = labelTableCells(page);
  assert.match(labelled, /<table class="t" data-cards>/);
  assert.match(labelled, /<th scope="row" data-label="When">today<\/th><td data-label="Who &amp; why"><a href/);
  assert.match(labelled, /<td data-label="When">yesterday<\/td><td data-label="Who &amp; why">Bob<\/td><td class="x">/);
  assert.match(labelled, /<th scope="col">When<\/th>/, "headings themselves are left alone");
});

test("pages without tables, tables without a head, and tables with their own narrow layout are unchanged", () => {
  assert.equal(labelTableCells("<p>no table</p>"), "<p>no table</p>");
  const headless = "<table><tr><td>1</td></tr></table>";
  assert.equal(labelTableCells(headless), headless);
  const own = `<table class="prefs-grid own-narrow"><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>`;
  assert.equal(labelTableCells(own), own);
});
