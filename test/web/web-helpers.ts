import assert from "node:assert/strict";
import type { TestEnv, TestUser } from "../helpers.ts";

export interface PageResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | number | undefined>;
}

function toPage(res: { statusCode: number; body: string; headers: PageResponse["headers"] }): PageResponse {
  return { status: res.statusCode, body: res.body, headers: res.headers };
}

/** GETs a page as a browser would: with the user's session cookie, if any, and extra headers. */
export async function getPage(
  env: TestEnv,
  url: string,
  user: TestUser | null = null,
  headers: Record<string, string> = {},
): Promise<PageResponse> {
  const res = await env.app.inject({
    method: "GET",
    url,
    headers: { ...(user ? { cookie: user.cookie } : {}), ...headers },
  });
  return toPage(res);
}

/** POSTs a urlencoded form with whatever cookie and fields the test chooses (CSRF included or not). */
export async function postForm(
  env: TestEnv,
  url: string,
  fields: Record<string, string>,
  cookie = "",
  headers: Record<string, string> = {},
): Promise<PageResponse> {
  const res = await env.app.inject({
    method: "POST",
    url,
    headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}), ...headers },
    payload: new URLSearchParams(fields).toString(),
  });
  return toPage(res);
}

export interface Browser {
  /** Cookie header: the session (if any) and the CSRF cookie the server set. */
  cookie: string;
  csrf: string;
  get(url: string): Promise<PageResponse>;
  /** Submits a form with the CSRF token, as the page's own form would. */
  submit(url: string, fields?: Record<string, string>): Promise<PageResponse>;
}

/**
 * A visitor that has loaded a page with a form: it holds the CSRF cookie the server set and the
 * token from the page's hidden field, and sends both back like a browser.
 */
export async function browse(env: TestEnv, user: TestUser | null, formPage = "/login?next=/"): Promise<Browser> {
  const first = await getPage(env, user ? "/" : formPage, user);
  const setCookie = ([] as string[]).concat((first.headers["set-cookie"] as string | string[] | undefined) ?? []);
  const csrfCookie = setCookie.map((c) => /^cs_csrf=([^;]+)/.exec(c)?.[1]).find(Boolean);
  const field = /name="_csrf" value="([^"]+)"/.exec(first.body)?.[1];
  assert.ok(csrfCookie, "the page sets the CSRF cookie");
  assert.equal(field, csrfCookie, "the form carries the cookie's token");
  const cookie = [user?.cookie, `cs_csrf=${csrfCookie}`].filter(Boolean).join("; ");
  return {
    cookie,
    csrf: csrfCookie,
    get: async (url) => toPage(await env.app.inject({ method: "GET", url, headers: { cookie } })),
    submit: (url, fields = {}) => postForm(env, url, { _csrf: csrfCookie, ...fields }, cookie),
  };
}

/** The session cookie a response set, as a Cookie header value. */
export function sessionCookieFrom(res: PageResponse): string | undefined {
  const setCookie = ([] as string[]).concat((res.headers["set-cookie"] as string | string[] | undefined) ?? []);
  return setCookie.map((c) => /^(cs_session=[^;]+)/.exec(c)?.[1]).find((c) => c && c !== "cs_session=");
}
