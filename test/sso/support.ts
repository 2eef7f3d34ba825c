import assert from "node:assert/strict";
import type { TestEnv } from "../helpers.ts";
import { throughProvider } from "./provider.ts";

/** The app is driven with inject (no socket); this base URL is only where the provider sends the browser back. */
export const APP = "http://127.0.0.1:3999";

/** The cookie header for the response's Set-Cookie of this name, or undefined. */
export function cookieFrom(headers: Record<string, unknown>, name: string): string | undefined {
  const setCookie = headers["set-cookie"];
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [String(setCookie)] : [];
  const pair = all.map((c) => c.split(";")[0]).find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);
  return pair;
}

/** Starts a login at the app: the provider's authorization URL and the pending-login cookie. */
export async function start(env: TestEnv, next = "/") {
  const res = await env.app.inject({ url: `/auth/oidc/acme?next=${encodeURIComponent(next)}` });
  assert.equal(res.statusCode, 302);
  const pending = cookieFrom(res.headers, "cs_oidc");
  assert.ok(pending, "the pending login is kept in a cookie");
  assert.match(String(res.headers["set-cookie"]), /HttpOnly/);
  return { authorization: new URL(String(res.headers.location)), pending };
}

/** The app's callback with what the provider sent back. */
export function callback(env: TestEnv, url: URL, pending?: string) {
  return env.app.inject({ url: url.pathname + url.search, headers: pending ? { cookie: pending } : {} });
}

/** A whole login as `login` at the provider; returns the callback's answer. */
export async function logIn(env: TestEnv, login: string, next = "/") {
  const { authorization, pending } = await start(env, next);
  const back = await throughProvider(authorization.href, login, APP);
  return callback(env, back, pending);
}
