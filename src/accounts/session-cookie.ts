import type { FastifyReply, FastifyRequest } from "fastify";
import { type Credential, SESSION_TTL_MS } from "./accounts.service.ts";
import { cookieName, readCookie } from "../http/cookies.ts";
import { clearCsrfCookie } from "../http/csrf.ts";

/** The session cookie's name; `__Host-cs_session` with SECURE_COOKIES. */
export const SESSION_COOKIE = "cs_session";

/** The session cookie of the request, if any. */
export function sessionCookie(req: FastifyRequest): string | undefined {
  return readCookie(req, SESSION_COOKIE);
}

/** The request's credential: its bearer token if it sends one, else its session cookie. */
export function requestCredential(req: FastifyRequest): Credential | null {
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  if (bearer) return { via: "token", secret: bearer[1] };
  const session = sessionCookie(req);
  return session ? { via: "session", secret: session } : null;
}

/**
 * Starts the browser's session. Its forms then carry the session's CSRF token (http/csrf.ts), and the
 * anonymous token goes, so the next anonymous form (after logging out) gets a new one.
 */
export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(cookieName(SESSION_COOKIE, secure), token, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure,
    maxAge: SESSION_TTL_MS / 1000,
  });
  clearCsrfCookie(reply, secure);
}

/** Ends the browser's session, and its anonymous CSRF token with it. */
export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(cookieName(SESSION_COOKIE, secure), { path: "/", httpOnly: true, sameSite: "lax", secure });
  clearCsrfCookie(reply, secure);
}
