import { createHash } from "node:crypto";

export type Encoding = "br" | "gzip" | "identity";

/**
 * What a cacheable page shows, so the cache knows when it changes: everything of its community
 * (settings, categories, members, ranks), and one topic or the community's lists of topics.
 */
export interface CacheScope {
  communityId: number;
  topicId?: number;
  /** Other topics the page shows a part of (a duplicate's original): each changing changes it. */
  showsTopics?: readonly number[];
  /** The page lists topics: any topic of the community changing changes it. */
  list?: boolean;
}

/** Invalidation tags. "site" is on every page: a change nobody could place invalidates all. */
/** The strong ETag of a response's bytes, the same for every page and document the app sends. */
export const etagOf = (body: Buffer) => `"${createHash("sha1").update(body).digest("base64url")}"`;

export const SITE_TAG = "site";
export const communityTag = (communityId: number) => `community:${communityId}`;
export const listTag = (communityId: number) => `list:${communityId}`;
export const topicTag = (topicId: number) => `topic:${topicId}`;

function tagsOf(scope: CacheScope): string[] {
  const tags = [SITE_TAG, communityTag(scope.communityId)];
  if (scope.topicId !== undefined) tags.push(topicTag(scope.topicId));
  for (const id of scope.showsTopics ?? []) tags.push(topicTag(id));
  if (scope.list) tags.push(listTag(scope.communityId));
  return tags;
}

export interface CachedPage {
  key: string;
  /** The strong validator of the uncompressed page, quoted. */
  etag: string;
  /** The cache's sequence number when the page started reading: see `mark()`. */
  seq: number;
  tags: readonly string[];
  expiresAt: number;
  bodies: Partial<Record<Encoding, Buffer>>;
  bytes: number;
}

export interface PageCacheOptions {
  maxBytes: number;
  /** Pages show relative times ("3 minutes ago") and suspensions end by the clock: an upper bound on age. */
  maxAgeMs: number;
  /** How a body is compressed for an encoding, on its first request. */
  compress(body: Buffer, encoding: Encoding): Buffer;
}

/** Beyond this many remembered tags the cache starts afresh rather than grow. */
const MAX_TAGS = 100_000;

/**
 * Rendered anonymous pages in memory, by path and locale, with their ETag and the compressed
 * bodies clients asked for; bounded in bytes (least recently used go first). A page is valid
 * while none of its tags was invalidated since it started reading the database.
 */
export class PageCache {
  private seq = 0;
  /** Pages that started reading before this are stale whatever their tags (after a reset). */
  private floor = 0;
  private readonly versions = new Map<string, number>();
  /** By tag, the time from which what its pages show changes with no write to say so: see `expireAt()`. */
  private readonly deadlines = new Map<string, number>();
  private readonly entries = new Map<string, CachedPage>();
  private bytes = 0;

  constructor(readonly options: PageCacheOptions) {}

  /** Taken before a page reads anything, and stored with it. */
  mark(): number {
    return this.seq;
  }

  invalidate(tags: Iterable<string>): void {
    this.seq += 1;
    for (const tag of tags) this.versions.set(tag, this.seq);
    if (this.versions.size > MAX_TAGS) {
      this.versions.clear();
      this.entries.clear();
      this.bytes = 0;
      this.floor = this.seq;
    }
  }

  /**
   * Pages with this tag rendered before `at` are not served from `at` on: what they show changes
   * then by the clock alone (a poll closing), with no write to invalidate them. Call while the
   * page renders (before `store()`); of several times for a tag, the earliest still ahead counts.
   */
  expireAt(tag: string, at: number, now: number): void {
    const known = this.deadlines.get(tag);
    if (known === undefined || known <= now || at < known) this.deadlines.set(tag, at);
    // A time passed matters no more: the pages it concerned were stored with it.
    if (this.deadlines.size > MAX_TAGS) {
      for (const [key, time] of this.deadlines) if (time <= now) this.deadlines.delete(key);
    }
  }

  /** Until when a page rendered at `now` with these tags may be served. */
  private expiry(tags: readonly string[], now: number): number {
    let expiresAt = now + this.options.maxAgeMs;
    for (const tag of tags) {
      const at = this.deadlines.get(tag);
      if (at !== undefined && at > now && at < expiresAt) expiresAt = at;
    }
    return expiresAt;
  }

  private isStale(page: CachedPage, now: number): boolean {
    return (
      page.seq < this.floor ||
      page.expiresAt <= now ||
      page.tags.some((tag) => (this.versions.get(tag) ?? 0) > page.seq)
    );
  }

  lookup(key: string, now: number): CachedPage | undefined {
    const page = this.entries.get(key);
    if (!page) return undefined;
    this.entries.delete(key);
    if (this.isStale(page, now)) {
      this.bytes -= page.bytes;
      return undefined;
    }
    this.entries.set(key, page); // most recently used last
    return page;
  }

  /**
   * Keeps a rendered page unless it went stale while it rendered; returns it either way, to answer with.
   * `now`: when the page started rendering, the time its content is true at.
   */
  store(key: string, body: Buffer, scope: CacheScope, seq: number, now: number): CachedPage {
    const tags = tagsOf(scope);
    const page: CachedPage = {
      key,
      etag: etagOf(body),
      seq,
      tags,
      expiresAt: this.expiry(tags, now),
      bodies: { identity: body },
      bytes: key.length + body.length,
    };
    if (this.isStale(page, now) || page.bytes > this.options.maxBytes) return page;
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
  body(page: CachedPage, encoding: Encoding): Buffer {
    const known = page.bodies[encoding];
    if (known) return known;
    const body = this.options.compress(page.bodies.identity as Buffer, encoding);
    page.bodies[encoding] = body;
    page.bytes += body.length;
    if (this.entries.get(page.key) === page) {
      this.bytes += body.length;
      this.evict();
    }
    return body;
  }

  private evict(): void {
    for (const [key, page] of this.entries) {
      if (this.bytes <= this.options.maxBytes) return;
      this.entries.delete(key);
      this.bytes -= page.bytes;
    }
  }

  get size(): { pages: number; bytes: number } {
    return { pages: this.entries.size, bytes: this.bytes };
  }
}
