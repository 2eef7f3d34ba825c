import { notFound, unauthorized } from "../core/errors.js";
import { layout } from "./layout.js";
import { anonymousPageKey, sendSharedPage, sendUncachedPage } from "./page-cache.js";
/**
 * Sends a page in the layout, compressed when the client accepts it. A page that is the same for
 * every anonymous visitor gets an ETag and may be kept by shared caches (answering 304 on a
 * match); one that says what it shows (`view.cache`) is also kept in this process's page cache,
 * when the request could be served from it (`page.cacheMark`). A personal page is never stored.
 */
export async function sendPage(page, view, status = 200) {
    const html = (await layout(page, view)).value;
    const { req, reply, deps } = page;
    reply.code(status);
    const shared = !page.personal && status === 200;
    const cache = deps.pageCache;
    if (shared && cache && view.cache && page.cacheMark !== undefined) {
        const stored = cache.store(anonymousPageKey(req), Buffer.from(html), view.cache, page.cacheMark, page.now);
        return sendSharedPage(req, reply, stored, cache, "miss");
    }
    return sendUncachedPage(req, reply, html, shared);
}
/** After a successful form post: see the result with a GET (303), so reloading does not post again. */
export function redirect(reply, location) {
    return reply.redirect(location, 303);
}
/** A path on this site, or the fallback: `next` parameters must not send people elsewhere. */
export function localPath(value, fallback = "/") {
    return typeof value === "string" && /^\/(?![/\\])/.test(value) ? value : fallback;
}
export function loginUrl(next) {
    return `/login?next=${encodeURIComponent(next)}`;
}
/** The viewer, or a 401 page offering to log in. */
export function requireActor(page) {
    if (!page.actor)
        throw unauthorized();
    return page.actor;
}
/** Path parameters checked with the API's schemas; a malformed one is simply a page that does not exist. */
export function pathParams(schema, params) {
    const result = schema.safeParse(params);
    if (!result.success)
        throw notFound("Page");
    return result.data;
}
