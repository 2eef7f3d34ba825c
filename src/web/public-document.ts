import type { FastifyReply, FastifyRequest } from "fastify";
import { encodedBody, MIN_COMPRESSED_BYTES, preferredEncoding, type ReadyDocument } from "./compression.ts";
import { encodedEtag, etagMatches, notModified } from "./page-cache.ts";

/**
 * When a public document last changed, as this process has seen it (seo's modifiedMemory keeps it).
 * `comparable` is false when the current bytes came in the same second as the previous ones: HTTP dates
 * have whole seconds, so a date cannot tell these versions apart and only the ETag may answer 304.
 */
export interface Modified {
  at: number;
  comparable: boolean;
}

const second = (ms: number) => Math.floor(ms / 1000);

/** Whether the client's copy is still this document: If-None-Match first, as HTTP says, then If-Modified-Since. */
function stillHeld(req: FastifyRequest, etag: string, modified: Modified | undefined): boolean {
  const ifNoneMatch = req.headers["if-none-match"];
  if (ifNoneMatch) return etagMatches(ifNoneMatch, etag);
  if (!modified?.comparable) return false;
  const since = Date.parse(req.headers["if-modified-since"] ?? "");
  return Number.isFinite(since) && second(modified.at) <= second(since);
}

/**
 * Sends a document the same for everyone (feeds, sitemaps, the widget's script) with its ETag, and its
 * Last-Modified when `modified` is known, compressed when the client accepts it, answering 304 to a
 * conditional GET that still holds it. Shared caches may keep it for `maxAge` seconds.
 */
export function sendPublicDocument(
  req: FastifyRequest,
  reply: FastifyReply,
  doc: ReadyDocument,
  { maxAge, modified }: { maxAge: number; modified?: Modified },
) {
  const encoding =
    doc.bytes.length >= MIN_COMPRESSED_BYTES ? preferredEncoding(req.headers["accept-encoding"]) : "identity";
  reply
    .header("cache-control", `public, max-age=${maxAge}`)
    .header("etag", encodedEtag(doc.etag, encoding))
    .header("vary", "Accept-Encoding");
  if (modified) reply.header("last-modified", new Date(modified.at).toUTCString());
  // A HEAD's 304 claims no `Content-Length: 0` for bytes it does not send (notModified).
  if (stillHeld(req, doc.etag, modified)) return notModified(req, reply);
  if (encoding !== "identity") reply.header("content-encoding", encoding);
  return reply.code(200).type(doc.type).send(encodedBody(doc, encoding));
}
