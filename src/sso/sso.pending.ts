import type { FastifyReply, FastifyRequest } from "fastify";
import type { Deps } from "../core/deps.ts";
import { cookieName, readCookie } from "../http/cookies.ts";
import { sign, signingSecret, verifySignature } from "../lib/signing.ts";
import type { AuthorizationChecks } from "./sso.client.ts";

/**
 * A sign-in between the redirect to the provider and its callback, in a signed HttpOnly cookie:
 * no write to the database before anyone has logged in, and any instance can finish it.
 */
export interface PendingLogin extends AuthorizationChecks {
  provider: string;
  /** Where to go afterwards: a path on this site. */
  next: string;
  expiresAt: number;
}

/** `__Host-cs_oidc` with SECURE_COOKIES, so a sibling subdomain cannot plant its own login (login CSRF). */
const COOKIE = "cs_oidc";
const PURPOSE = "oidc-pending-login";
/** The time a person has to log in and consent at the provider. */
const PENDING_TTL_MS = 10 * 60_000;

/** Plain HTTP sends it to the sign-in paths only; the `__Host-` prefix demands path `/`. */
function cookieOptions(secure: boolean) {
  // Lax: the provider's redirect back is a top-level GET, which carries it.
  return { path: secure ? "/" : "/auth/oidc/", httpOnly: true, sameSite: "lax", secure } as const;
}

export async function savePendingLogin(
  deps: Deps,
  reply: FastifyReply,
  login: Omit<PendingLogin, "expiresAt">,
): Promise<void> {
  const value = Buffer.from(JSON.stringify({ ...login, expiresAt: deps.clock.now() + PENDING_TTL_MS })).toString(
    "base64url",
  );
  const signature = sign(await signingSecret(deps.db), PURPOSE, value);
  const secure = deps.config.secureCookies;
  reply.setCookie(cookieName(COOKIE, secure), `${value}.${signature}`, {
    ...cookieOptions(secure),
    maxAge: PENDING_TTL_MS / 1000,
  });
}

/** The pending sign-in of this browser at this provider, or null (none, forged, expired, another provider). */
export async function takePendingLogin(
  deps: Deps,
  req: FastifyRequest,
  reply: FastifyReply,
  provider: string,
): Promise<PendingLogin | null> {
  const cookie = readCookie(req, COOKIE);
  if (!cookie) return null;
  // Used once: whatever the callback's outcome, a second one with the same cookie finds nothing.
  const secure = deps.config.secureCookies;
  reply.clearCookie(cookieName(COOKIE, secure), cookieOptions(secure));
  const [value, signature] = cookie.split(".");
  if (!value || !signature || !verifySignature(await signingSecret(deps.db), PURPOSE, value, signature)) return null;
  const login = JSON.parse(Buffer.from(value, "base64url").toString()) as PendingLogin;
  return login.provider === provider && login.expiresAt > deps.clock.now() ? login : null;
}
