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
  /** Cookie header: the session (if any), else the anonymous CSRF cookie the server set. */
  cookie: string;
  /** The token of the page's forms: the session's when signed in, else the anonymous cookie's. */
  csrf: string;
  get(url: string): Promise<PageResponse>;
  /** Submits a form with the CSRF token, as the page's own form would. */
  submit(url: string, fields?: Record<string, string>): Promise<PageResponse>;
}

function setCookies(res: PageResponse): string[] {
  return ([] as string[]).concat((res.headers["set-cookie"] as string | string[] | undefined) ?? []);
}

/** The token in a page's hidden `_csrf` field, as its forms would send it back. */
export function csrfFieldOf(page: PageResponse): string {
  const field = /name="_csrf"\s+value="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(field, "the page has a form with a CSRF token");
  return field;
}

/**
 * The CSRF token a visitor with this Cookie header gets in a page's forms: for a session, the
 * session's own token (the front page's logout form carries it).
 */
export async function csrfTokenFor(env: TestEnv, cookie: string, url = "/"): Promise<string> {
  return csrfFieldOf(await getPage(env, url, null, { cookie }));
}

/**
 * A visitor that has loaded a page with a form: it holds the token from the page's hidden field
 * (and, when anonymous, the CSRF cookie the server set) and sends them back like a browser.
 */
export async function browse(env: TestEnv, user: TestUser | null, formPage = "/login?next=/"): Promise<Browser> {
  const first = await getPage(env, user ? "/" : formPage, user);
  const csrf = csrfFieldOf(first);
  const csrfCookie = setCookies(first)
    .map((c) => /^cs_csrf=([^;]+)/.exec(c)?.[1])
    .find(Boolean);
  if (user) assert.equal(csrfCookie, undefined, "a session's token is its own: no CSRF cookie");
  else assert.equal(csrf, csrfCookie, "the anonymous form carries the cookie's token");
  const cookie = user ? user.cookie : `cs_csrf=${csrfCookie}`;
  return {
    cookie,
    csrf,
    get: async (url) => toPage(await env.app.inject({ method: "GET", url, headers: { cookie } })),
    submit: (url, fields = {}) => postForm(env, url, { _csrf: csrf, ...fields }, cookie),
  };
}

/** The session cookie a response set, as a Cookie header value. */
export function sessionCookieFrom(res: PageResponse): string | undefined {
  return setCookies(res)
    .map((c) => /^(cs_session=[^;]+)/.exec(c)?.[1])
    .find((c) => c && c !== "cs_session=");
}

/** Every id="…" of a page (data-*-id attributes excluded), in document order. */
export const idsOf = (body: string) => [...body.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);

export function assertUniqueIds(body: string, what: string): void {
  const ids = idsOf(body);
  const repeated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  assert.deepEqual(repeated, [], `${what}: ids used more than once`);
}

/** The opening tag of the one element with this id. */
export function elementWithId(body: string, id: string): string {
  const tags = [...body.matchAll(/<[a-z][^>]*\sid="([^"]*)"[^>]*>/g)].filter((m) => m[1] === id);
  assert.equal(tags.length, 1, `one element with id="${id}"`);
  return tags[0][0];
}
