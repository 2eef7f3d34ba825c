/**
 * Tables become cards on narrow screens (issue #16): every data table of a page gets its column
 * headings copied onto its body cells as `data-label`, and app.css shows each row as a card of
 * "label: value" lines at 600 px and below. The layout runs this over every page, so a new table
 * needs nothing. Only our own markup passes here: tables are not nested, headings are in <thead>.
 * A table that draws its own narrow layout (the notification settings grid) opts out with the
 * class `own-narrow`.
 */

const TABLE = /<table\b([^>]*)>([\s\S]*?)<\/table>/g;
const HEAD = /<thead\b[^>]*>([\s\S]*?)<\/thead>/;
const HEADING = /<th\b[^>]*>([\s\S]*?)<\/th>/g;
const ROW = /<tr\b[^>]*>([\s\S]*?)<\/tr>/g;
const CELL = /<(td|th)\b([^>]*)>/g;

/** A heading's text, as an attribute value: its tags dropped (its entities stay escaped). */
const label = (heading: string) =>
  heading
    .replace(/<[^>]*>/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/"/g, "&quot;");

function labelRows(body: string, labels: string[]): string {
  return body.replace(ROW, (row) => {
    let column = 0;
    return row.replace(CELL, (cell, name: string, attributes: string) => {
      const text = labels[column++];
      return text && !attributes.includes("data-label=") ? `<${name}${attributes} data-label="${text}">` : cell;
    });
  });
}

/** The page's HTML with every table's body cells labelled by their column heading. */
export function labelTableCells(page: string): string {
  if (!page.includes("<table")) return page;
  return page.replace(TABLE, (table, attributes: string, inner: string) => {
    if (attributes.includes("own-narrow")) return table;
    const head = HEAD.exec(inner);
    if (!head) return table;
    const labels = [...head[1].matchAll(HEADING)].map((m) => label(m[1]));
    const bodyStart = head.index + head[0].length;
    const body = labelRows(inner.slice(bodyStart), labels);
    return `<table${attributes} data-cards>${inner.slice(0, bodyStart)}${body}</table>`;
  });
}
