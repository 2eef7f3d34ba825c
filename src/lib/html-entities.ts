/** The named entities of XML, plus the few HTML ones imported bodies use (a Map: "&constructor;" names no entity). */
const NAMED = new Map(
  Object.entries({
    amp: "&",
    lt: "<",
    gt: ">",
    quot: '"',
    apos: "'",
    nbsp: "\u00a0",
    hellip: "…",
    mdash: "—",
    ndash: "–",
    lsquo: "‘",
    rsquo: "’",
    ldquo: "“",
    rdquo: "”",
    copy: "©",
    times: "×",
  }),
);

const codePoint = (code: number) => (Number.isFinite(code) && code > 0 && code < 0x110000 ? code : 0xfffd);

/** Decodes character references (`&amp;`, `&#39;`, `&#xA;`); unknown names stay as written. */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, name: string) => {
    if (name[0] !== "#") return NAMED.get(name) ?? NAMED.get(name.toLowerCase()) ?? match;
    const hex = name[1] === "x" || name[1] === "X";
    return String.fromCodePoint(codePoint(hex ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)));
  });
}
