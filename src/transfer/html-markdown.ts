import { decodeEntities } from "../lib/html-entities.ts";

/**
 * Turns the HTML of imported posts (Stack Exchange bodies) into Markdown, which the product's
 * renderer (raw HTML off, unsafe links refused) turns back into safe HTML. Scripts, styles and
 * embedded frames are dropped with their content; unknown tags keep only their text.
 */
interface Element {
  tag: string;
  attrs: string;
  children: Node[];
}
type Node = Element | string;

const VOID = new Set(["br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "source"]);
const DROPPED = new Set(["script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"]);
/**
 * Elements nested deeper keep only their text (as unknown tags do): rendering recurses once per
 * level, and a body of a few thousand opening tags would otherwise exhaust the stack.
 */
export const MAX_DEPTH = 100;
const TOKEN = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;

function parse(source: string): Element {
  const root: Element = { tag: "root", attrs: "", children: [] };
  const stack: Element[] = [root];
  let at = 0;
  for (const match of source.matchAll(TOKEN)) {
    const top = stack[stack.length - 1];
    if (match.index > at) top.children.push(source.slice(at, match.index));
    at = match.index + match[0].length;
    const [, closing, rawTag, attrs] = match;
    if (!rawTag) continue; // a comment
    const tag = rawTag.toLowerCase();
    if (closing) {
      let open = stack.length - 1;
      while (open > 0 && stack[open].tag !== tag) open -= 1;
      if (open > 0) stack.length = open;
      continue;
    }
    // Too deep: the tag is left out and its content goes on at this level. Scripts and the like are
    // still kept as elements, to be dropped with their content (nothing recurses into them).
    if (stack.length > MAX_DEPTH && !DROPPED.has(tag)) continue;
    const element: Element = { tag, attrs, children: [] };
    top.children.push(element);
    if (!VOID.has(tag) && !attrs.trimEnd().endsWith("/")) stack.push(element);
  }
  if (at < source.length) stack[stack.length - 1].children.push(source.slice(at));
  return root;
}

function attribute(element: Element, name: string): string {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(element.attrs);
  return decodeEntities(match?.[1] ?? match?.[2] ?? match?.[3] ?? "").trim();
}

function textOf(node: Node): string {
  if (typeof node === "string") return decodeEntities(node);
  return DROPPED.has(node.tag) ? "" : node.children.map(textOf).join("");
}

/**
 * Markdown's punctuation in plain text is meant literally; so is a character reference the page
 * showed as text ("&amp;copy;" on the page is "&copy;", not "©"), a run of tildes (strikethrough),
 * and an angle bracket ("&lt;http://a.b&gt;" on the page is text, not an autolink).
 * A line starting like a block (a heading's #, a list's "-" or "2.", a rule's "---", a heading's
 * underline "===") is text too: a number keeps its digits and escapes its dot ("\1." would show
 * the backslash).
 */
const escapeText = (text: string) =>
  text
    .replace(/[\\`*_[\]<]/g, "\\$&")
    .replace(/&(?=#?[a-z0-9]+;)/gi, "\\&")
    .replace(/~{2,}/g, (run) => run.replace(/~/g, "\\~"))
    .replace(/^(\s*)(\d+[.)]|[#>+]|-+|=+)(?=\s|$)/gm, (_, space: string, mark: string) =>
      /^\d/.test(mark) ? `${space}${mark.slice(0, -1)}\\${mark.slice(-1)}` : `${space}\\${mark}`,
    );

/** Blank lines between blocks, one at most, none at either end. */
const tidy = (markdown: string) =>
  markdown
    .replace(/^[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
const block = (content: string) => `\n\n${tidy(content)}\n\n`;
const indent = (text: string, prefix: string, first = prefix) =>
  text
    .split("\n")
    .map((line, i) => (i === 0 ? first : line ? prefix : prefix.trimEnd()) + line)
    .join("\n");

function fence(code: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = "`".repeat(longest + 1);
  return block(`${marks}\n${code.replace(/\n$/, "")}\n${marks}`);
}

function inlineCode(code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = "`".repeat(longest + 1);
  return code.includes("`") ? `${marks} ${code} ${marks}` : `${marks}${code}${marks}`;
}

/**
 * The number of an ordered list's first item: its start, where Markdown can write it (at most nine
 * digits, for the last item's number as well); 1 otherwise.
 */
function startOf(element: Element, items: number): number {
  const start = attribute(element, "start");
  return /^\d+$/.test(start) && Number(start) + items <= 1e9 ? Number(start) : 1;
}

function list(element: Element, ordered: boolean): string {
  const items = element.children.filter((c): c is Element => typeof c !== "string" && c.tag === "li");
  const start = startOf(element, items.length);
  const lines = items.map((item, i) => {
    const marker = ordered ? `${start + i}. ` : "- ";
    // A list inside an item follows its first line directly, so the outer list stays tight.
    const content = tidy(render(item.children)).replace(/\n\n(?=(?:- |\d+\. ))/g, "\n");
    return indent(content, " ".repeat(marker.length), marker);
  });
  return block(lines.join("\n"));
}

const isElement = (node: Node, ...tags: string[]): node is Element =>
  typeof node !== "string" && tags.includes(node.tag);

/**
 * A table as Markdown's (the renderer's GFM tables): its first row heads it, each cell keeps its
 * text on one line with its pipes escaped; rows with fewer cells are filled up. A caption goes above.
 */
function table(element: Element): string {
  const rows: Element[] = [];
  const collect = (nodes: Node[]) => {
    for (const node of nodes)
      if (isElement(node, "tr")) rows.push(node);
      else if (isElement(node, "thead", "tbody", "tfoot")) collect(node.children);
  };
  collect(element.children);
  const cells = rows.map((row) =>
    row.children
      .filter((cell) => isElement(cell, "td", "th"))
      .map((cell) =>
        render((cell as Element).children)
          .replace(/\s+/g, " ")
          .trim()
          .replace(/\|/g, "\\|"),
      ),
  );
  const width = Math.max(0, ...cells.map((row) => row.length));
  if (width === 0) return block(render(element.children));
  const line = (row: string[]) =>
    `| ${Array.from({ length: width }, (_, i) => row[i] ?? "").join(" | ")} |`.replace(/ {2,}\|/g, " |");
  const [head, ...body] = cells;
  const caption = element.children.find((c) => isElement(c, "caption")) as Element | undefined;
  const above = caption ? block(render(caption.children)) : "";
  return above + block([line(head), line(Array(width).fill("---")), ...body.map(line)].join("\n"));
}

/** The Markdown marks of the emphasis tags. */
const EMPHASIS = new Map([
  ["strong", "**"],
  ["b", "**"],
  ["em", "*"],
  ["i", "*"],
  ["del", "~~"],
  ["s", "~~"],
  ["strike", "~~"],
]);

/**
 * Adjacent runs of the same emphasis as one: written apart, their marks would meet and fuse
 * ("*a**b*" shows "a**b" in italics, "**x****y**" shows the asterisks).
 */
function mergeEmphasis(nodes: Node[]): Node[] {
  const merged: Node[] = [];
  for (const node of nodes) {
    const last = merged[merged.length - 1];
    const same = typeof node === "object" && typeof last === "object" && EMPHASIS.has(node.tag);
    if (same && EMPHASIS.get(last.tag) === EMPHASIS.get(node.tag))
      merged[merged.length - 1] = { ...last, children: [...last.children, ...node.children] };
    else merged.push(node);
  }
  return merged;
}

/** Emphasis around the text; spaces at its edges stay outside the marks ("<b>Note: </b>do" keeps its space). */
function wrap(children: Node[], mark: string): string {
  const inner = render(children);
  const text = inner.trim();
  if (!text) return inner;
  const before = inner.slice(0, inner.length - inner.trimStart().length);
  return `${before}${mark}${text}${mark}${inner.slice(inner.trimEnd().length)}`;
}

function renderElement(element: Element): string {
  const { tag, children } = element;
  if (DROPPED.has(tag)) return "";
  const mark = EMPHASIS.get(tag);
  if (mark) return wrap(children, mark);
  switch (tag) {
    case "p":
    case "div":
      return block(render(children));
    case "br":
      return "  \n";
    case "hr":
      return block("---");
    case "h1":
    case "h2":
    case "h3":
    case "h4":
    case "h5":
    case "h6":
      return block(`${"#".repeat(Number(tag[1]))} ${render(children).replace(/\s+/g, " ").trim()}`);
    case "code":
      return inlineCode(textOf(element));
    case "pre":
      return fence(textOf(element));
    case "blockquote":
      return block(indent(tidy(render(children)), "> "));
    case "table":
      return table(element);
    case "ul":
      return list(element, false);
    case "ol":
      return list(element, true);
    case "li":
      return block(`- ${tidy(render(children))}`);
    case "a": {
      const href = attribute(element, "href");
      const text = render(children).trim();
      return href ? `[${text || escapeText(href)}](<${href.replace(/[<>\s]/g, encodeURIComponent)}>)` : text;
    }
    case "img": {
      const src = attribute(element, "src");
      return src ? `![${escapeText(attribute(element, "alt"))}](<${src.replace(/[<>\s]/g, encodeURIComponent)}>)` : "";
    }
    default:
      return render(children);
  }
}

function render(nodes: Node[]): string {
  return mergeEmphasis(nodes)
    .map((node) =>
      typeof node === "string" ? escapeText(decodeEntities(node).replace(/\s+/g, " ")) : renderElement(node),
    )
    .join("");
}

/** Markdown for an HTML fragment; blank lines between blocks, none at either end. */
export function htmlToMarkdown(html: string): string {
  return tidy(render(parse(html).children)).replace(/[ \t]+\n/g, (spaces) => (spaces.startsWith("  ") ? "  \n" : "\n"));
}
