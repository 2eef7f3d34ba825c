import assert from "node:assert/strict";
import type { TestEnv } from "../helpers.ts";
import { getPage, type PageResponse } from "./web-helpers.ts";

/** An anonymous visitor's GET, with where it came from. */
export async function anonymous(
  env: TestEnv,
  url: string,
  headers: Record<string, string> = {},
): Promise<PageResponse> {
  return getPage(env, url, null, headers);
}

/** Where a topic's page is: its canonical address carries its title. */
export async function canonical(env: TestEnv, url: string): Promise<string> {
  if (/\/t\/\d+\/[^/]+$/.test(url)) return url;
  const res = await anonymous(env, url);
  assert.equal(res.status, 301);
  return String(res.headers.location);
}

/** The page is in the cache: a second visitor gets it without rendering. */
export async function assertCached(env: TestEnv, url: string): Promise<PageResponse> {
  await anonymous(env, url);
  const again = await anonymous(env, url);
  assert.equal(again.status, 200);
  assert.equal(again.headers["x-page-cache"], "hit", `${url} is served from the cache`);
  return again;
}

/** The next anonymous visitor gets the page rendered anew. */
export async function fresh(env: TestEnv, url: string): Promise<PageResponse> {
  const page = await anonymous(env, url);
  assert.notEqual(page.headers["x-page-cache"], "hit", `${url} was invalidated`);
  return page;
}
