import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import zlib from "node:zlib";
import { badRequest } from "../core/errors.ts";
import { decodeEntities } from "../lib/html-entities.ts";

/**
 * Reading the official Stack Exchange dump format in place: one `<row .../>` per line, attributes
 * XML-escaped, in `Posts.xml` or `Posts.xml.gz`. No XML library: the format is that regular.
 */
export type DumpRow = Record<string, string>;

export const DUMP_FILES = ["Users", "Posts", "Comments", "Votes", "PostLinks", "Tags"] as const;
export type DumpFile = (typeof DUMP_FILES)[number];

/** The attributes of one `<row .../>` line, decoded; null for any other line. */
export function parseRow(line: string): DumpRow | null {
  const row = /<row\s(.*?)\/>/.exec(line);
  if (!row) return null;
  const attrs: DumpRow = {};
  for (const [, name, value] of row[1].matchAll(/(\w+)="([^"]*)"/g)) attrs[name] = decodeEntities(value);
  return attrs;
}

/** `DIR/NAME.xml.gz` or `DIR/NAME.xml`, whichever exists; null when neither does. */
export function dumpFile(dir: string, name: DumpFile): string | null {
  for (const candidate of [`${name}.xml.gz`, `${name}.xml`]) {
    const file = path.join(dir, candidate);
    if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
  }
  return null;
}

/**
 * The rows of one dump file, streamed line by line; `onBytes` hears how many bytes of the file
 * (compressed, as stored) were read so far, for a progress bar.
 */
export async function* dumpRows(file: string, onBytes?: (read: number) => void): AsyncGenerator<DumpRow> {
  const stream = fs.createReadStream(file);
  if (onBytes) stream.on("data", () => onBytes(stream.bytesRead));
  let input: NodeJS.ReadableStream = stream;
  if (file.endsWith(".gz")) {
    const gunzip = zlib.createGunzip();
    // pipe() does not pass a read error on: without this it would be thrown outside the import.
    stream.on("error", (error) => gunzip.destroy(error));
    input = stream.pipe(gunzip);
  }
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  try {
    while (true) {
      let next: IteratorResult<string>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw badRequest(`${file} is not a readable dump file: ${(error as Error).message}`);
      }
      if (next.done) break;
      const row = parseRow(next.value);
      if (row) yield row;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

/** Tags are `<a><b>` in older dumps and `|a|b|` in newer ones. */
export const tagsOf = (raw: string | undefined) => (raw ?? "").split(/[<>|]+/).filter(Boolean);

/** Dump times are UTC without a zone ("2021-04-27T15:06:44.553"). */
export function dumpTime(value: string | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(ms) ? null : ms;
}
