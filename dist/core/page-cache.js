import { createHash } from "node:crypto";
/** Invalidation tags. "site" is on every page: a change nobody could place invalidates all. */
export const SITE_TAG = "site";
export const communityTag = (communityId) => `community:${communityId}`;
export const listTag = (communityId) => `list:${communityId}`;
export const topicTag = (topicId) => `topic:${topicId}`;
function tagsOf(scope) {
    const tags = [SITE_TAG, communityTag(scope.communityId)];
    if (scope.topicId !== undefined)
        tags.push(topicTag(scope.topicId));
    if (scope.list)
        tags.push(listTag(scope.communityId));
    return tags;
}
/** Beyond this many remembered tags the cache starts afresh rather than grow. */
const MAX_TAGS = 100_000;
/**
 * Rendered anonymous pages in memory, by path and locale, with their ETag and the compressed
 * bodies clients asked for; bounded in bytes (least recently used go first). A page is valid
 * while none of its tags was invalidated since it started reading the database.
 */
export class PageCache {
    options;
    seq = 0;
    /** Pages that started reading before this are stale whatever their tags (after a reset). */
    floor = 0;
    versions = new Map();
    entries = new Map();
    bytes = 0;
    constructor(options) {
        this.options = options;
    }
    /** Taken before a page reads anything, and stored with it. */
    mark() {
        return this.seq;
    }
    invalidate(tags) {
        this.seq += 1;
        for (const tag of tags)
            this.versions.set(tag, this.seq);
        if (this.versions.size > MAX_TAGS) {
            this.versions.clear();
            this.entries.clear();
            this.bytes = 0;
            this.floor = this.seq;
        }
    }
    isStale(page, now) {
        return (page.seq < this.floor ||
            page.expiresAt <= now ||
            page.tags.some((tag) => (this.versions.get(tag) ?? 0) > page.seq));
    }
    lookup(key, now) {
        const page = this.entries.get(key);
        if (!page)
            return undefined;
        this.entries.delete(key);
        if (this.isStale(page, now)) {
            this.bytes -= page.bytes;
            return undefined;
        }
        this.entries.set(key, page); // most recently used last
        return page;
    }
    /** Keeps a rendered page unless it went stale while it rendered; returns it either way, to answer with. */
    store(key, body, scope, seq, now) {
        const page = {
            key,
            etag: `"${createHash("sha1").update(body).digest("base64url")}"`,
            seq,
            tags: tagsOf(scope),
            expiresAt: now + this.options.maxAgeMs,
            bodies: { identity: body },
            bytes: key.length + body.length,
        };
        if (this.isStale(page, now) || page.bytes > this.options.maxBytes)
            return page;
        const previous = this.entries.get(key);
        if (previous) {
            this.entries.delete(key);
            this.bytes -= previous.bytes;
        }
        this.entries.set(key, page);
        this.bytes += page.bytes;
        this.evict();
        return page;
    }
    /** The page's body in this encoding, compressed on first use and kept with it. */
    body(page, encoding) {
        const known = page.bodies[encoding];
        if (known)
            return known;
        const body = this.options.compress(page.bodies.identity, encoding);
        page.bodies[encoding] = body;
        page.bytes += body.length;
        if (this.entries.get(page.key) === page) {
            this.bytes += body.length;
            this.evict();
        }
        return body;
    }
    evict() {
        for (const [key, page] of this.entries) {
            if (this.bytes <= this.options.maxBytes)
                return;
            this.entries.delete(key);
            this.bytes -= page.bytes;
        }
    }
    get size() {
        return { pages: this.entries.size, bytes: this.bytes };
    }
}
