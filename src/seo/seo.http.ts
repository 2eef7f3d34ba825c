import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Clock } from "../core/clock.ts";

/** A document served to crawlers and feed readers: the same bytes for everyone. */
export interface PublicDocument {
  body: string;
  type: string;
  /** The newest change it shows (ms), sent as Last-Modified. */
  lastModified: number;
}

const etagOf = (body: string) => `"${createHash("sha1").update(body).digest("base64url")}"`;

function notModified(req: FastifyRequest, etag: string, lastModified: number): boolean {
  const ifNoneMatch = req.headers["if-none-match"];
  if (ifNoneMatch)
    return ifNoneMatch === "*" || ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
  // HTTP dates have whole seconds: compare in seconds.
  const since = Date.parse(req.headers["if-modified-since"] ?? "");
  return Number.isFinite(since) && Math.floor(lastModified / 1000) <= Math.floor(since / 1000);
}

/**
 * Sends a public document with ETag and Last-Modified, answering 304 to a conditional GET that
 * still holds it (If-None-Match first, as HTTP says, then If-Modified-Since). Shared caches may
 * keep it for `maxAge` seconds.
 */
export function sendDocument(req: FastifyRequest, reply: FastifyReply, doc: PublicDocument, maxAge: number) {
  const etag = etagOf(doc.body);
  reply
    .header("cache-control", `public, max-age=${maxAge}`)
    .header("etag", etag)
    .header("last-modified", new Date(doc.lastModified).toUTCString())
    .header("vary", "Accept-Encoding");
  if (notModified(req, etag, doc.lastModified)) return reply.code(304).send();
  return reply.code(200).type(doc.type).send(doc.body);
}

/**
 * A small cache of documents that cost a scan (sitemaps), per process, for `ttlMs` on the
 * injected clock: a crawler fetching them again and again costs one query per period. What it
 * holds is public; a change shows after at most one period.
 */
export function documentCache(clock: Clock, ttlMs: number, maxEntries = 500) {
  const entries = new Map<string, { at: number; doc: Promise<PublicDocument> }>();
  return (key: string, build: () => Promise<PublicDocument>): Promise<PublicDocument> => {
    const now = clock.now();
    const hit = entries.get(key);
    if (hit && now - hit.at < ttlMs) return hit.doc;
    if (entries.size >= maxEntries) entries.clear();
    const doc = build();
    entries.set(key, { at: now, doc });
    // A failed build is not kept.
    doc.catch(() => entries.delete(key));
    return doc;
  };
}
