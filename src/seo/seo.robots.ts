/**
 * Paths crawlers stay out of: search results, forms, the account, administration, staff desks and
 * the API. robots.txt lists them, and a page under one of them carries `noindex` as well, for
 * crawlers that arrive by a link anyway.
 */
const SITE_PATHS = ["/api/", "/login", "/signup", "/logout", "/me/", "/admin/", "/unsubscribe", "/communities/"];

/**
 * The same under a community, after `/c/:slug/` (`*` is one path segment). robots.txt spells them
 * out per public community: a crawler's `*` also matches slashes, so `/c/*\/new` would shut out
 * a topic whose title begins with "new" (`/c/demo/t/5/new-router`).
 */
const COMMUNITY_PATHS = [
  "search",
  "new",
  "join",
  "members",
  "staff",
  "admin/",
  "settings",
  "review-queue",
  "audit",
  "flagged",
  "posts/",
  "r/",
  "kb/new",
  "kb/*/edit",
  "u/*/kudos",
  "rewards",
  "redemptions/",
  "academy/new",
  "academy/*/attempt",
  "service-friends/",
  "offers/",
  "bookings/",
  "job-requests/",
  "reviews/",
];

/** Pages under a topic that are not for search engines; only `noindex` (robots.txt cannot tell them from titles). */
const TOPIC_PATHS = ["edit", "history", "case", "moderate"];

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
const pattern = (path: string) => escapeRegExp(path).replace(/\*/g, "[^/?#]*");

const PRIVATE = new RegExp(
  `^(?:${[
    ...SITE_PATHS.map(pattern),
    ...COMMUNITY_PATHS.map((p) => `/c/[^/?#]+/${pattern(p)}`),
    ...TOPIC_PATHS.map((p) => `/c/[^/?#]+/t/\\d+/${p}(?:$|[/?#])`),
  ].join("|")})`,
);

/** Whether a requested path (with its query) is one search engines must not index. */
export function isPrivatePath(path: string): boolean {
  return PRIVATE.test(path);
}

/** `/robots.txt`: the private paths of the site and of each public community, then everything else, and the sitemap. */
export function robotsTxt(baseUrl: string, communitySlugs: readonly string[]): string {
  return [
    "User-agent: *",
    ...SITE_PATHS.map((path) => `Disallow: ${path}`),
    ...communitySlugs.flatMap((slug) => COMMUNITY_PATHS.map((path) => `Disallow: /c/${slug}/${path}`)),
    "Allow: /",
    "",
    `Sitemap: ${baseUrl}/sitemap.xml`,
    "",
  ].join("\n");
}
