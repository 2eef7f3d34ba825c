import fs from "node:fs";
import readline from "node:readline";
import zlib from "node:zlib";

/**
 * Reading the official Stack Exchange dump format (`<posts><row .../></posts>`, gzipped) in place:
 * the evaluations read ../shared/data/stackexchange/<site> directly and copy nothing.
 */
const XML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

export const decodeXml = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e[0] === "#"
      ? String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
      : (XML_ENTITIES[e] ?? m),
  );

/** The attributes of each `<row .../>` of a gzipped Stack Exchange dump, streamed line by line. */
export async function* xmlRows(file: string): AsyncGenerator<Record<string, string>> {
  const lines = readline.createInterface({
    input: fs.createReadStream(file).pipe(zlib.createGunzip()),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    const row = /<row\s(.*?)\/>/.exec(line);
    if (!row) continue;
    const attrs: Record<string, string> = {};
    for (const [, name, value] of row[1].matchAll(/(\w+)="([^"]*)"/g)) attrs[name] = decodeXml(value);
    yield attrs;
  }
}

/** Tags are `<a><b>` in older dumps and `|a|b|` in newer ones. */
export const tagsOf = (raw: string | undefined) => (raw ?? "").split(/[<>|]+/).filter(Boolean);
