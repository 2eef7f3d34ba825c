import { randomToken, safeEqual } from "../lib/crypto.js";
/**
 * Double-submit CSRF protection for HTML forms: a random token in a SameSite=Strict cookie
 * must come back in the form field (or header). A cross-site page can neither read nor set it.
 */
export const CSRF_COOKIE = "cs_csrf";
export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";
/** The request's CSRF token, created (and set as a cookie) when the page needs one. */
export function csrfToken(req, reply, secure) {
    const existing = req.cookies[CSRF_COOKIE];
    if (existing)
        return existing;
    const token = randomToken(24);
    reply.setCookie(CSRF_COOKIE, token, { path: "/", httpOnly: true, sameSite: "strict", secure });
    req.cookies[CSRF_COOKIE] = token;
    return token;
}
export function csrfTokenMatches(req, submitted) {
    const expected = req.cookies[CSRF_COOKIE];
    return typeof submitted === "string" && !!expected && safeEqual(expected, submitted);
}
