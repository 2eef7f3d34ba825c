import { Readable } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";
import { LANGUAGE_COOKIE, visitorLocale } from "../i18n/i18n.ts";
import { compress, MIN_COMPRESSED_BYTES, preferredEncoding } from "./compression.ts";
import { type CachedPage, type Encoding, etagOf, type PageCache } from "../core/page-cache.ts";

/** Anonymous visitors differ only by the page's path with its query and their language (switcher or browser). */
export function anonymousPageKey(req: FastifyRequest): string {
  return `${visitorLocale(req.cookies?.[LANGUAGE_COOKIE], req.headers["accept-language"])} ${req.url}`;
}

const VARY = "Accept-Language, Cookie, Accept-Encoding";
const SHARED = "public, max-age=0, must-revalidate";

/** An If-None-Match candidate matches the page whatever encoding its ETag was given for. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return (
    header === "*" ||
    header.split(",").some(
      (candidate) =>
        candidate
          .trim()
          .replace(/^W\//, "")
          .replace(/-(br|gzip)"$/, '"') === etag,
    )
  );
}

/** The ETag of one encoding of a response: a variant of the identity bytes' tag, as caches expect. */
export function encodedEtag(etag: string, encoding: Encoding): string {
  return encoding === "identity" ? etag : `${etag.slice(0, -1)}-${encoding}"`;
}

/**
 * 304 Not Modified, without a body. Fastify's HEAD route gives a reply sent without a payload a
 * `Content-Length: 0`, which a 304 must not claim (RFC 9110, 8.6); sent an empty stream, it adds
 * none, and the HEAD's 304 has the GET's headers.
 */
export function notModified(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(304).send(req.method === "HEAD" ? Readable.from([]) : undefined);
}

/** Answers with a page the same for every anonymous visitor: 304 on a matching ETag, else compressed when accepted. */
export function sendSharedPage(
  req: FastifyRequest,
  reply: FastifyReply,
  page: CachedPage,
  cache: PageCache,
  state: "hit" | "miss",
): FastifyReply {
  const identity = page.bodies.identity as Buffer;
  const encoding =
    identity.length >= MIN_COMPRESSED_BYTES ? preferredEncoding(req.headers["accept-encoding"]) : "identity";
  reply
    .type("text/html; charset=utf-8")
    .header("vary", VARY)
    .header("cache-control", SHARED)
    .header("etag", encodedEtag(page.etag, encoding))
    .header("x-page-cache", state);
  if (etagMatches(req.headers["if-none-match"], page.etag)) return notModified(req, reply);
  if (encoding !== "identity") reply.header("content-encoding", encoding);
  return reply.send(cache.body(page, encoding));
}

/** Answers with a page that is not kept (personal, an error, or no cache): compressed when accepted. */
export function sendUncachedPage(
  req: FastifyRequest,
  reply: FastifyReply,
  html: string,
  shared: boolean,
): FastifyReply {
  const body = Buffer.from(html);
  reply.type("text/html; charset=utf-8").header("vary", VARY);
  const encoding = body.length >= MIN_COMPRESSED_BYTES ? preferredEncoding(req.headers["accept-encoding"]) : "identity";
  if (shared) {
    const etag = etagOf(body);
    reply.header("cache-control", SHARED).header("etag", encodedEtag(etag, encoding));
    if (etagMatches(req.headers["if-none-match"], etag)) return notModified(req, reply);
  } else {
    reply.header("cache-control", "private, no-store");
  }
  if (encoding !== "identity") reply.header("content-encoding", encoding);
  return reply.send(compress(body, encoding, "page"));
}
