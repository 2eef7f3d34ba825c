import { defineApi } from "../http/api.js";
import { loginBody, signupBody, tokenBody } from "./accounts.schema.js";
import * as accounts from "./accounts.service.js";
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from "./session-cookie.js";
import { listMemberships } from "../communities/index.js";
export function accountRoutes(deps) {
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
                const token = req.cookies[SESSION_COOKIE];
                if (token)
                    await accounts.endSession(deps, token);
                clearSessionCookie(reply, secure);
                return { ok: true };
            },
        }),
        defineApi({
            method: "POST",
            path: "/tokens",
            tag: "accounts",
            summary: "Create a personal API token for scripts (shown once)",
            auth: "required",
            body: tokenBody,
            status: 201,
            handler: async ({ body, actor }) => {
                const token = await accounts.createApiToken(deps, actor.id, body.name);
                return { token: token.token, id: token.id, name: token.name };
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
                return { user: accounts.toPublicUser(user), memberships: await listMemberships(deps, actor.id) };
            },
        }),
    ];
}
