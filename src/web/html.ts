/** HTML built with tagged templates: interpolated values are escaped unless they are already Html. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

const SPECIAL = /[&<>"']/;
const SPECIAL_ALL = /[&<>"']/g;

export function escapeHtml(value: string): string {
  // Most values (names, numbers, dates, URLs) need no escaping: test before replacing.
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (ch) => ESCAPES[ch]) : value;
}

/** Characters XML 1.0 allows nowhere, not even as references: one in a feed makes readers drop it all. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Text for an XML document (Atom feeds, sitemaps): escaped as for HTML, without what XML forbids. */
export function escapeXml(value: string): string {
  return escapeHtml(value.replace(NOT_XML, ""));
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false || part === true) return "";
  if (typeof part === "string") return escapeHtml(part);
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) {
    let out = "";
    for (const item of part) out += render(item);
    return out;
  }
  return escapeHtml(String(part));
}

const literalsByTemplate = new WeakMap<TemplateStringsArray, readonly string[]>();

/**
 * A template's literal text as it renders: a line break and the indentation after it are one space,
 * so templates wrap at 120 columns (between attributes, between words) without changing the page.
 * Worked out once per template: a call site passes the same strings array every time.
 */
function literals(strings: TemplateStringsArray): readonly string[] {
  let parts = literalsByTemplate.get(strings);
  if (!parts) {
    parts = strings.map((text) => text.replace(/\n[ \t]+/g, " "));
    literalsByTemplate.set(strings, parts);
  }
  return parts;
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  const text = literals(strings);
  let out = text[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + text[i + 1];
  return new Html(out);
}

/** Marks trusted markup (our own sanitized Markdown output) as HTML. */
export function raw(value: string): Html {
  return new Html(value);
}

/** Fills `{name}` placeholders of a (translated) text with values that may be markup; the text itself is escaped. */
export function fill(template: string, params: Record<string, Part>): Html {
  const pieces = template.split(/\{(\w+)\}/);
  return new Html(
    pieces
      .map((piece, i) => (i % 2 === 0 ? escapeHtml(piece) : piece in params ? render(params[piece]) : `{${piece}}`))
      .join(""),
  );
}
