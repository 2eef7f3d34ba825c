import type { Clock } from "../core/clock.ts";
import { type PublicDocument, type ReadyDocument, readyDocument } from "../web/compression.ts";
import type { Modified } from "../web/public-document.ts";

export { type PublicDocument, type ReadyDocument, readyDocument };

const second = (ms: number) => Math.floor(ms / 1000);

/**
 * When each public document last changed, as this process has seen it: a validator that only moves
 * forward. A document's own times (its newest entry) cannot be one: hiding, deleting or holding an
 * entry, a topic leaving a category or a feed, all keep or lower them, and a client sending
 * If-Modified-Since would keep showing what was removed.
 *
 * It remembers, per address, the ETag last sent and since when: the same bytes keep their date, new
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
