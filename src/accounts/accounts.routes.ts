import type { Deps } from "../core/deps.ts";
import { defineApi, idParams } from "../http/api.ts";
import { forbidden } from "../core/errors.ts";
import { loginBody, signupBody, tokenBody } from "./accounts.schema.ts";
import * as accounts from "./accounts.service.ts";
import { clearSessionCookie, sessionCookie, setSessionCookie } from "./session-cookie.ts";
import { listMemberships } from "../communities/index.ts";

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
        setSessionCookie(reply, await accounts.createSession(deps, user.id), secure);
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
        setSessionCookie(reply, await accounts.createSession(deps, user.id), secure);
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
      handler: async ({ body, actor }) => {
        // A leaked token must not be able to mint more (and outlive its revocation).
        if (actor.via === "token") throw forbidden("Create tokens while logged in, not with a token.");
        const token = await accounts.createApiToken(deps, actor.id, body);
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
      method: "GET",
      path: "/me",
      tag: "accounts",
      summary: "The current user and their community memberships",
      auth: "required",
      handler: async ({ actor }) => {
        const user = await accounts.getUser(deps, actor.id);
        return { user: accounts.toPublicUser(user!), memberships: await listMemberships(deps, actor.id) };
      },
    }),
  ];
}
