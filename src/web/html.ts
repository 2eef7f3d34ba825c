/** HTML built with tagged templates: interpolated values are escaped unless they are already Html. */
export class Html {
  /**
   * Whether the markup holds a table, so the layout labels table cells (web/table.ts) only on pages
   * that have one: searching a whole page for "<table" made V8 copy the page's pieces into one
   * string first, a twentieth of a signed-in topic page's CPU. Worked out as templates combine.
   */
  readonly tables: boolean;
  constructor(
    readonly value: string,
    tables?: boolean,
  ) {
    this.tables = tables ?? value.includes(TABLE_TAG);
  }
  toString(): string {
    return this.value;
  }
}

const TABLE_TAG = "<table";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

const SPECIAL = /[&<>"']/;
const SPECIAL_ALL = /[&<>"']/g;

export function escapeHtml(value: string): string {
  // Most values (names, numbers, dates, URLs) need no escaping: test before replacing.
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (ch) => ESCAPES[ch]) : value;
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

/** Whether a part brings a table: only markup can (strings are escaped). */
function hasTables(part: Part): boolean {
  if (part instanceof Html) return part.tables;
  return Array.isArray(part) && part.some(hasTables);
}

interface Literals {
  parts: readonly string[];
  /** Whether the template's own text holds a table. */
  tables: boolean;
}

const literalsByTemplate = new WeakMap<TemplateStringsArray, Literals>();

/**
 * A template's literal text as it renders: a line break and the indentation after it are one space,
 * so templates wrap at 120 columns (between attributes, between words) without changing the page.
 * Worked out once per template: a call site passes the same strings array every time.
 */
function literals(strings: TemplateStringsArray): Literals {
  let found = literalsByTemplate.get(strings);
  if (!found) {
    const parts = strings.map((text) => text.replace(/\n[ \t]+/g, " "));
    found = { parts, tables: parts.some((text) => text.includes(TABLE_TAG)) };
    literalsByTemplate.set(strings, found);
  }
  return found;
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  const { parts, tables: own } = literals(strings);
  let out = parts[0];
  let tables = own;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    out += render(value) + parts[i + 1];
    if (!tables) tables = hasTables(value);
  }
  return new Html(out, tables);
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
    Object.values(params).some(hasTables),
  );
}
