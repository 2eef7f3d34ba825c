import type { FastifyReply, FastifyRequest } from "fastify";
import { randomToken, safeEqual } from "../lib/crypto.ts";
import { sign } from "../lib/signing.ts";
import { cookieName, readCookie } from "./cookies.ts";

/**
 * CSRF protection for HTML forms (and the API's X-CSRF-Token header). A signed-in session's token
 * is derived from the session: an HMAC of its cookie under the installation's signing secret, so a
 * token seen in one session, or a CSRF cookie planted from a sibling subdomain, is worth nothing in
 * another, and every login starts a new token. Anonymous forms (login, signup, password reset) use
 * a double-submit token: a random value in a SameSite=Strict cookie that must come back in the form.
 */
export const CSRF_COOKIE = "cs_csrf";
export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";

const PURPOSE = "csrf";

declare module "fastify" {
  interface FastifyRequest {
    /** The CSRF token of the request's signed-in cookie session (`bindCsrfToSession`); null otherwise. */
    sessionCsrf: string | null;
  }
}

/** Ties the request's CSRF token to its session: called once the session cookie has authenticated it. */
export function bindCsrfToSession(req: FastifyRequest, secret: string, sessionCookie: string): void {
  req.sessionCsrf = sign(secret, PURPOSE, sessionCookie);
}

/** The request's CSRF token: the session's, else the anonymous cookie's (created and set when the page needs one). */
export function csrfToken(req: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  if (req.sessionCsrf) return req.sessionCsrf;
  const existing = readCookie(req, CSRF_COOKIE);
  if (existing) return existing;
  const token = randomToken(24);
  const name = cookieName(CSRF_COOKIE, secure);
  reply.setCookie(name, token, { path: "/", httpOnly: true, sameSite: "strict", secure });
  req.cookies[name] = token;
  return token;
}

/** True when the submitted token is the request's own: the session's when signed in, else the cookie's. */
export function csrfTokenMatches(req: FastifyRequest, submitted: unknown): boolean {
  const expected = req.sessionCsrf ?? readCookie(req, CSRF_COOKIE);
  return typeof submitted === "string" && !!expected && safeEqual(expected, submitted);
}

/** Drops the anonymous token when a session starts or ends, so the next anonymous form gets a fresh one. */
export function clearCsrfCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(cookieName(CSRF_COOKIE, secure), { path: "/", httpOnly: true, sameSite: "strict", secure });
}
