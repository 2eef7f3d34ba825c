import type { FastifyReply } from "fastify";
import type { Actor } from "../core/deps.ts";
import type { ZodType } from "zod";
import { AppError, type Explanation, notFound, unauthorized } from "../core/errors.ts";
import type { MessageKey } from "../i18n/i18n.ts";
import { layout, type PageContext, type PageView } from "./layout.ts";
import { anonymousPageKey, sendSharedPage, sendUncachedPage } from "./page-cache.ts";

/**
 * Sends a page in the layout, compressed when the client accepts it. A page that is the same for
 * every anonymous visitor gets an ETag and may be kept by shared caches (answering 304 on a
 * match); one that says what it shows (`view.cache`) is also kept in this process's page cache,
 * when the request could be served from it (`page.cacheMark`). A personal page is never stored.
 */
export async function sendPage(page: PageContext, view: PageView, status = 200): Promise<FastifyReply> {
  const html = (await layout(page, view, status)).value;
  const { req, reply, deps } = page;
  reply.code(status);
  const shared = !page.personal && status === 200;
  const cache = deps.pageCache;
  // Only a GET's page is kept: a HEAD renders the same page and is answered from a kept one, but keeps
  // none itself (link checkers and monitors would fill the cache with pages no one reads).
  if (shared && cache && view.cache && page.cacheMark !== undefined && req.method === "GET") {
    const stored = cache.store(anonymousPageKey(req), Buffer.from(html), view.cache, page.cacheMark, page.now);
    return sendSharedPage(req, reply, stored, cache, "miss");
  }
  return sendUncachedPage(req, reply, html, shared);
}

/** After a successful form post: see the result with a GET (303), so reloading does not post again. */
export function redirect(reply: FastifyReply, location: string): FastifyReply {
  return reply.redirect(location, 303);
}

/** A path on this site, or the fallback: `next` parameters must not send people elsewhere. */
const LOCAL_ORIGIN = "http://local.invalid";

/**
 * A path on this site to redirect to, else the fallback. Browsers drop tabs and line breaks and
 * read "\\" as "/", so "/\t/evil.example" means "//evil.example": such a value is resolved the way
 * a browser would and kept only if it stays on this origin and does not itself read as another
 * site; control characters (which cannot be sent in a Location header) and backslashes are refused
 * outright.
 */
export function localPath(value: unknown, fallback = "/"): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (typeof value !== "string" || !value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, LOCAL_ORIGIN);
  } catch {
    return fallback;
  }
  // Check what is returned: dot segments resolve away ("/.//evil.example" is "//evil.example").
  const path = url.pathname + url.search + url.hash;
  return url.origin === LOCAL_ORIGIN && !path.startsWith("//") ? path : fallback;
}

/** The path of the page a form was sent from (its Referer) when it reads as a local path, else the fallback. */
export function refererPath(req: { headers: { referer?: string } }, fallback: string): string {
  const referer = req.headers.referer;
  if (!referer || !URL.canParse(referer, LOCAL_ORIGIN)) return fallback;
  return localPath(new URL(referer, LOCAL_ORIGIN).pathname, fallback);
}

export function loginUrl(next: string): string {
  return `/login?next=${encodeURIComponent(next)}`;
}

/** The viewer, or a 401 page offering to log in. */
/**
 * A page refused (403) with its reason in the reader's language: the message key goes with it, so
 * the error page words it in every language (renderErrorPage), not only in English.
 */
export function refusedPage(page: PageContext, key: MessageKey, params?: Explanation["params"]): AppError {
  return new AppError("forbidden", page.t(key, params), undefined, { key, params });
}

export function requireActor(page: PageContext): Actor {
  if (!page.actor) throw unauthorized();
  return page.actor;
}

/** Path parameters checked with the API's schemas; a malformed one is simply a page that does not exist. */
export function pathParams<T>(schema: ZodType<T>, params: unknown): T {
  const result = schema.safeParse(params);
  if (!result.success) throw notFound("Page");
  return result.data;
}
