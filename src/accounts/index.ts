/**
 * The public module of the accounts domain: what other domains may use of it (single sign-on
 * creates accounts and logs members in with these).
 */
export { createPasswordlessUser, createSession } from "./accounts.service.ts";
export { setSessionCookie } from "./session-cookie.ts";
