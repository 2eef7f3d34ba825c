import type { TestEnv, TestUser } from "../helpers.ts";

/**
 * Whether robots.txt lets a crawler fetch a path, the way RFC 9309 says: the longest matching
 * rule wins, Allow wins a tie; `*` matches any characters (slashes too) and `$` the end.
 */
export function robotsAllow(robots: string, path: string): boolean {
  const rules = robots
    .split("\n")
    .map((line) => /^(Allow|Disallow):\s*(\S*)/i.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null && m[2] !== "")
    .map(([, kind, pattern]) => ({
      allow: kind.toLowerCase() === "allow",
      length: pattern.length,
      regex: new RegExp(
        `^${pattern
          .replace(/[.+?^{}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\$$/, "$")}`,
      ),
    }));
  const matching = rules.filter((r) => r.regex.test(path));
  if (!matching.length) return true;
  matching.sort((a, b) => b.length - a.length || Number(b.allow) - Number(a.allow));
  return matching[0].allow;
}

export async function fetchPath(env: TestEnv, url: string, headers: Record<string, string> = {}, user?: TestUser) {
  const res = await env.app.inject({
    method: "GET",
    url,
    headers: { ...headers, ...(user ? { cookie: user.cookie } : {}) },
  });
  return { status: res.statusCode, body: res.body, headers: res.headers };
}

/** The head of an HTML page. */
export function headOf(body: string): string {
  return /<head>([\s\S]*?)<\/head>/.exec(body)?.[1] ?? "";
}

/** The content of a meta tag by name or property, unescaped. */
export function meta(body: string, key: string): string | undefined {
  const match = new RegExp(`<meta (?:name|property)="${key}" content="([^"]*)">`).exec(headOf(body));
  return match?.[1]
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export function canonicalOf(body: string): string | undefined {
  return /<link rel="canonical" href="([^"]*)">/.exec(headOf(body))?.[1];
}

/** Every JSON-LD block of the page, parsed. */
export function jsonLdOf(body: string): any[] {
  return [...headOf(body).matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) =>
    JSON.parse(m[1]),
  );
}

export const ofType = (blocks: any[], type: string) => blocks.find((b) => b["@type"] === type);
