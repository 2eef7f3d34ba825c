import type { FastifyReply, FastifyRequest } from "fastify";
import type { Clock } from "../core/clock.ts";
import { type Encoding, etagOf } from "../core/page-cache.ts";
import { compress, MIN_COMPRESSED_BYTES, preferredEncoding } from "../web/compression.ts";
import { encodedEtag, etagMatches } from "../web/page-cache.ts";

/** A document served to crawlers and feed readers: the same bytes for everyone. */
export interface PublicDocument {
  body: string;
  type: string;
  /** The newest change it shows (ms), sent as Last-Modified. */
  lastModified: number;
}

/** A public document ready to be sent many times: its bytes and ETag made once, each encoding on first need. */
export interface ReadyDocument {
  type: string;
  lastModified: number;
  bytes: Buffer;
  etag: string;
  encoded: Map<Encoding, Buffer>;
}

export function readyDocument(doc: PublicDocument): ReadyDocument {
  const bytes = Buffer.from(doc.body);
  return { type: doc.type, lastModified: doc.lastModified, bytes, etag: etagOf(bytes), encoded: new Map() };
}

function bodyOf(doc: ReadyDocument, encoding: Encoding): Buffer {
  if (encoding === "identity") return doc.bytes;
  let body = doc.encoded.get(encoding);
  if (!body) {
    body = compress(doc.bytes, encoding, "page");
    doc.encoded.set(encoding, body);
  }
  return body;
}

function notModified(req: FastifyRequest, etag: string, lastModified: number): boolean {
  const ifNoneMatch = req.headers["if-none-match"];
  if (ifNoneMatch) return etagMatches(ifNoneMatch, etag);
  // HTTP dates have whole seconds: compare in seconds.
  const since = Date.parse(req.headers["if-modified-since"] ?? "");
  return Number.isFinite(since) && Math.floor(lastModified / 1000) <= Math.floor(since / 1000);
}

/**
 * Sends a public document with ETag and Last-Modified, compressed when the client accepts it,
 * answering 304 to a conditional GET that still holds it (If-None-Match first, as HTTP says, then
 * If-Modified-Since). Shared caches may keep it for `maxAge` seconds.
 */
export function sendDocument(req: FastifyRequest, reply: FastifyReply, doc: ReadyDocument, maxAge: number) {
  const encoding =
    doc.bytes.length >= MIN_COMPRESSED_BYTES ? preferredEncoding(req.headers["accept-encoding"]) : "identity";
  reply
    .header("cache-control", `public, max-age=${maxAge}`)
    .header("etag", encodedEtag(doc.etag, encoding))
    .header("last-modified", new Date(doc.lastModified).toUTCString())
    .header("vary", "Accept-Encoding");
  if (notModified(req, doc.etag, doc.lastModified)) return reply.code(304).send();
  if (encoding !== "identity") reply.header("content-encoding", encoding);
  return reply.code(200).type(doc.type).send(bodyOf(doc, encoding));
}

/**
 * A small cache of documents that cost a scan (sitemaps), per process, for `ttlMs` on the
 * injected clock: a crawler fetching them again and again costs one query per period. What it
 * holds is public; a change shows after at most one period.
 */
export function documentCache(clock: Clock, ttlMs: number, maxEntries = 500) {
  const entries = new Map<string, { at: number; doc: Promise<ReadyDocument> }>();
  return (key: string, build: () => Promise<PublicDocument>): Promise<ReadyDocument> => {
    const now = clock.now();
    const hit = entries.get(key);
    if (hit && now - hit.at < ttlMs) return hit.doc;
    if (entries.size >= maxEntries) entries.clear();
    const doc = build().then(readyDocument);
    entries.set(key, { at: now, doc });
    // A failed build is not kept.
    doc.catch(() => entries.delete(key));
    return doc;
  };
}
