/**
 * A strict parser for the XML the site serves (sitemaps, Atom feeds): elements, attributes, text
 * and the five predefined entities plus character references. Anything not well-formed throws,
 * so a test that parses a document also checks that it is XML.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  if (/<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw))
    throw new Error(`Bad character data near ${where}`);
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_, name: string) =>
    name[0] === "#"
      ? String.fromCodePoint(name[1] === "x" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1)))
      : ENTITIES[name],
  );
}

export function parseXml(source: string): XmlElement {
  let pos = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at ${pos}: ${JSON.stringify(source.slice(pos, pos + 40))}`);
  };
  const skipSpace = () => {
    while (pos < source.length && /\s/.test(source[pos])) pos++;
  };
  const name = () => {
    const match = /^[A-Za-z_][\w.:-]*/.exec(source.slice(pos));
    if (!match) fail("Expected a name");
    pos += match![0].length;
    return match![0];
  };
  if (source.startsWith("<?xml")) {
    const end = source.indexOf("?>");
    if (end < 0) fail("Unclosed declaration");
    pos = end + 2;
  }
  skipSpace();

  function element(): XmlElement {
    if (source[pos] !== "<") fail("Expected an element");
    pos++;
    const node: XmlElement = { name: name(), attrs: {}, children: [], text: "" };
    for (;;) {
      skipSpace();
      if (source.startsWith("/>", pos)) {
        pos += 2;
        return node;
      }
      if (source[pos] === ">") {
        pos++;
        break;
      }
      const attr = name();
      if (attr in node.attrs) fail(`Duplicate attribute ${attr}`);
      skipSpace();
      if (source[pos] !== "=") fail("Expected =");
      pos++;
      skipSpace();
      const quote = source[pos];
      if (quote !== '"' && quote !== "'") fail("Unquoted attribute");
      const end = source.indexOf(quote, pos + 1);
      if (end < 0) fail("Unclosed attribute");
      node.attrs[attr] = decode(source.slice(pos + 1, end), pos);
      pos = end + 1;
    }
    for (;;) {
      const next = source.indexOf("<", pos);
      if (next < 0) fail("Unclosed element");
      node.text += decode(source.slice(pos, next), pos);
      pos = next;
      if (source.startsWith("</", pos)) {
        pos += 2;
        if (name() !== node.name) fail(`Mismatched end tag of ${node.name}`);
        skipSpace();
        if (source[pos] !== ">") fail("Expected >");
        pos++;
        return node;
      }
      node.children.push(element());
    }
  }

  const root = element();
  skipSpace();
  if (pos !== source.length) fail("Content after the root element");
  return root;
}

/** The child elements of a node with this name. */
export const childrenNamed = (node: XmlElement, name: string) => node.children.filter((c) => c.name === name);

/** The text of the first child with this name. */
export function childText(node: XmlElement, name: string): string | undefined {
  return childrenNamed(node, name)[0]?.text;
}
