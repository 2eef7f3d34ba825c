import type { FastifyReply, FastifyRequest } from "fastify";
import { randomToken, safeEqual } from "../lib/crypto.ts";
import { cookieName, readCookie } from "./cookies.ts";

/**
 * Double-submit CSRF protection for HTML forms: a random token in a SameSite=Strict cookie
 * must come back in the form field (or header). A cross-site page can neither read nor set it.
 */
export const CSRF_COOKIE = "cs_csrf";
export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";

/** The request's CSRF token, created (and set as a cookie) when the page needs one. */
export function csrfToken(req: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const existing = readCookie(req, CSRF_COOKIE);
  if (existing) return existing;
  const token = randomToken(24);
  const name = cookieName(CSRF_COOKIE, secure);
  reply.setCookie(name, token, { path: "/", httpOnly: true, sameSite: "strict", secure });
  req.cookies[name] = token;
  return token;
}

export function csrfTokenMatches(req: FastifyRequest, submitted: unknown): boolean {
  const expected = readCookie(req, CSRF_COOKIE);
  return typeof submitted === "string" && !!expected && safeEqual(expected, submitted);
}
