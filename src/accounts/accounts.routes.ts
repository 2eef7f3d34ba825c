import type { Deps } from "../core/deps.ts";
import { defineApi, idParams } from "../http/api.ts";
import {
  loginBody,
  passwordResetBody,
  passwordResetConfirmBody,
  signupBody,
  tokenBody,
  verifyEmailBody,
} from "./accounts.schema.ts";
import { confirmPasswordReset, requestPasswordReset } from "./accounts.recovery.ts";
import { confirmEmail } from "./accounts.me.ts";
import * as accounts from "./accounts.service.ts";
import { clearSessionCookie, sessionCookie, setSessionCookie } from "./session-cookie.ts";

export function accountRoutes(deps: Deps) {
  const secure = deps.config.secureCookies;
  return [
    defineApi({
      method: "POST",
      path: "/auth/signup",
      tag: "accounts",
      summary: "Create an account and log in",
      body: signupBody,
      status: 201,
      handler: async ({ body, req, reply }) => {
        const user = await accounts.signup(deps, { ...body, ip: req.ip });
        setSessionCookie(reply, await accounts.createSession(deps, user.id, req.headers["user-agent"]), secure);
        return { user: accounts.toPublicUser(user) };
      },
    }),
    defineApi({
      method: "POST",
      path: "/auth/login",
      tag: "accounts",
      summary: "Log in with email and password; sets the session cookie",
      body: loginBody,
      handler: async ({ body, req, reply }) => {
        const user = await accounts.authenticate(deps, { ...body, ip: req.ip });
        const session = await accounts.createSession(deps, user.id, req.headers["user-agent"], user.passwordHash);
        setSessionCookie(reply, session, secure);
        return { user: accounts.toPublicUser(user) };
      },
    }),
    defineApi({
      method: "POST",
      path: "/auth/logout",
      tag: "accounts",
      summary: "End the current session",
      handler: async ({ req, reply }) => {
        const token = sessionCookie(req);
        if (token) await accounts.endSession(deps, token);
        clearSessionCookie(reply, secure);
        return { ok: true };
      },
    }),
    defineApi({
      method: "POST",
      path: "/tokens",
      tag: "accounts",
      summary: "Create a personal API token for scripts (shown once; read, write or admin scope; optional expiry)",
      auth: "required",
      body: tokenBody,
      status: 201,
      handler: async ({ body, actor, req }) => {
        accounts.assertMayMintTokens(actor);
        const token = await accounts.createApiToken(deps, actor.id, body, sessionCookie(req));
        return { token: token.token, id: token.id, name: token.name, scope: token.scope, expiresAt: token.expiresAt };
      },
    }),
    defineApi({
      method: "GET",
      path: "/tokens",
      tag: "accounts",
      summary: "The caller's personal API tokens: name, scope, created, expiry, last used (never the values)",
      auth: "required",
      handler: async ({ actor }) => ({ tokens: await accounts.listApiTokens(deps, actor.id) }),
    }),
    defineApi({
      method: "DELETE",
      path: "/tokens/:id",
      tag: "accounts",
      summary: "Revoke one of the caller's personal API tokens",
      auth: "required",
      params: idParams,
      handler: async ({ actor, params }) => {
        await accounts.revokeApiToken(deps, actor.id, params.id);
        return { ok: true };
      },
    }),
    defineApi({
      method: "POST",
      path: "/auth/password-reset",
      tag: "accounts",
      summary: "Email a password-reset link; always 202, whether or not the address has an account",
      body: passwordResetBody,
      status: 202,
      handler: async ({ body, req }) => {
        await requestPasswordReset(deps, { email: body.email, ip: req.ip });
        return { ok: true };
      },
    }),
    defineApi({
      method: "POST",
      path: "/auth/password-reset/confirm",
      tag: "accounts",
      summary: "Set a new password with the link's token; every session and API token ends (bad token: 422)",
      body: passwordResetConfirmBody,
      handler: async ({ body }) => {
        await confirmPasswordReset(deps, body);
        return { ok: true };
      },
    }),
    defineApi({
      method: "POST",
      path: "/auth/verify-email",
      tag: "accounts",
      summary: "Confirm an email address (at signup, or the new one of an email change) with the link's token",
      body: verifyEmailBody,
      handler: async ({ body }) => ({ verified: (await confirmEmail(deps, body.token)).email }),
    }),
  ];
}
