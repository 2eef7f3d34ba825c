import type { FastifyReply, FastifyRequest } from "fastify";
import type { Clock } from "../core/clock.ts";
import {
  encodedBody,
  MIN_COMPRESSED_BYTES,
  preferredEncoding,
  type PublicDocument,
  type ReadyDocument,
  readyDocument,
} from "../web/compression.ts";
import { encodedEtag, etagMatches } from "../web/page-cache.ts";

export { type PublicDocument, type ReadyDocument, readyDocument };

/**
 * When a public document last changed, as this process has seen it: a validator that only moves
 * forward. A document's own times (its newest entry) cannot be one: hiding, deleting or holding an
 * entry, a topic leaving a category or a feed, all keep or lower them, and a client sending
 * If-Modified-Since would keep showing what was removed. `comparable` is false when the current
 * bytes came in the same second as the previous ones: HTTP dates have whole seconds, so a date
 * cannot tell these versions apart and only the ETag may answer 304.
 */
export interface Modified {
  at: number;
  comparable: boolean;
}

const second = (ms: number) => Math.floor(ms / 1000);

/**
 * Remembers, per address, the ETag last sent and since when: the same bytes keep their date, new
 * bytes get now. An address seen for the first time (after a restart, or once forgotten among
 * `maxEntries`) also gets now: an earlier process may have sent a later date for other bytes.
 */
export function modifiedMemory(clock: Clock, maxEntries = 5000) {
  const seen = new Map<string, { etag: string; modified: Modified }>();
  return (key: string, doc: ReadyDocument): Modified => {
    const known = seen.get(key);
    if (known?.etag === doc.etag) return known.modified;
    const now = clock.now();
    const modified = { at: now, comparable: !known || second(known.modified.at) < second(now) };
    seen.delete(key);
    if (seen.size >= maxEntries) seen.delete(seen.keys().next().value as string);
    seen.set(key, { etag: doc.etag, modified });
    return modified;
  };
}

function notModified(req: FastifyRequest, etag: string, modified: Modified): boolean {
  const ifNoneMatch = req.headers["if-none-match"];
  if (ifNoneMatch) return etagMatches(ifNoneMatch, etag);
  if (!modified.comparable) return false;
  const since = Date.parse(req.headers["if-modified-since"] ?? "");
  return Number.isFinite(since) && second(modified.at) <= second(since);
}

/**
 * Sends a public document with ETag and Last-Modified, compressed when the client accepts it,
 * answering 304 to a conditional GET that still holds it (If-None-Match first, as HTTP says, then
 * If-Modified-Since against `modified`, see modifiedMemory). Shared caches may keep it for `maxAge` seconds.
 */
export function sendDocument(
  req: FastifyRequest,
  reply: FastifyReply,
  doc: ReadyDocument,
  modified: Modified,
  maxAge: number,
) {
  const encoding =
    doc.bytes.length >= MIN_COMPRESSED_BYTES ? preferredEncoding(req.headers["accept-encoding"]) : "identity";
  reply
    .header("cache-control", `public, max-age=${maxAge}`)
    .header("etag", encodedEtag(doc.etag, encoding))
    .header("last-modified", new Date(modified.at).toUTCString())
    .header("vary", "Accept-Encoding");
  if (notModified(req, doc.etag, modified)) return reply.code(304).send();
  if (encoding !== "identity") reply.header("content-encoding", encoding);
  return reply.code(200).type(doc.type).send(encodedBody(doc, encoding));
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
