import zlib from "node:zlib";

import { type Encoding, etagOf } from "../core/page-cache.ts";

/** The best encoding the client accepts (`Accept-Encoding`): brotli, then gzip, else none. */
export function preferredEncoding(header: string | string[] | undefined): Encoding {
  if (!header) return "identity";
  const accepted = new Map<string, number>();
  for (const part of String(header).split(",")) {
    // Whitespace may stand before a ";" ("br ;q=0"): the coding's name is what is left without it.
    const [name, ...params] = part.toLowerCase().split(";");
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => accepted.get(name) ?? accepted.get("*") ?? 0;
  if (weight("br") > 0) return "br";
  if (weight("gzip") > 0) return "gzip";
  return "identity";
}

/**
 * Compresses a response body. "static": files compressed once at start, at the best ratio;
 * "page": HTML, compressed once per cached page or per personal page, where speed counts too.
 */
export function compress(body: Buffer, encoding: Encoding, effort: "static" | "page"): Buffer {
  if (encoding === "identity") return body;
  if (encoding === "gzip") return zlib.gzipSync(body, { level: effort === "static" ? 9 : 6 });
  return zlib.brotliCompressSync(body, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: effort === "static" ? 11 : 5,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    },
  });
}

/** Bodies under this size gain nothing worth a header from compression. */
export const MIN_COMPRESSED_BYTES = 1024;

/** A document the same for everyone (feeds, sitemaps, the widget's script): its text and type. */
export interface PublicDocument {
  body: string;
  type: string;
}

/** A public document ready to be sent many times: its bytes and ETag made once, each encoding on first need. */
export interface ReadyDocument {
  type: string;
  bytes: Buffer;
  etag: string;
  encoded: Map<Encoding, Buffer>;
}

export function readyDocument(doc: PublicDocument): ReadyDocument {
  const bytes = Buffer.from(doc.body);
  return { type: doc.type, bytes, etag: etagOf(bytes), encoded: new Map() };
}

/** The document's bytes in `encoding`, compressed on the first request for it. */
export function encodedBody(doc: ReadyDocument, encoding: Encoding): Buffer {
  if (encoding === "identity") return doc.bytes;
  let body = doc.encoded.get(encoding);
  if (!body) {
    body = compress(doc.bytes, encoding, "page");
    doc.encoded.set(encoding, body);
  }
  return body;
}
