/**
 * The public module of the single sign-on domain: what other domains may use of it (the login
 * page shows its buttons).
 */
export { ssoLoginButtons } from "./sso.views.ts";
