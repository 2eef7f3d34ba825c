import { SESSION_TTL_MS } from "./accounts.service.js";
export const SESSION_COOKIE = "cs_session";
export function setSessionCookie(reply, token, secure) {
    reply.setCookie(SESSION_COOKIE, token, {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure,
        maxAge: SESSION_TTL_MS / 1000,
    });
}
export function clearSessionCookie(reply, secure) {
    reply.clearCookie(SESSION_COOKIE, { path: "/", httpOnly: true, sameSite: "lax", secure });
}
