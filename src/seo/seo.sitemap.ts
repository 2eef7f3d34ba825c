import type { Deps } from "../core/deps.ts";
import { escapeXml } from "../web/html.ts";
import { topicPath } from "../topics/index.ts";
import type { PublicDocument } from "./seo.http.ts";
import * as q from "./seo.queries.ts";
import { iso } from "../lib/iso-time.ts";

/** The sitemaps protocol's limit of URLs per file. */
export const SITEMAP_URLS = 50_000;

/**
 * Topics per topic sitemap: well under the protocol's limit, so building one (cold, every five
 * minutes at most) stays a short request even in a community of 100,000 topics.
 */
export const TOPICS_PER_SITEMAP = 10_000;

const XML_TYPE = "application/xml; charset=utf-8";

function entry(tag: "url" | "sitemap", loc: string, lastmod: number | null): string {
  return `<${tag}><loc>${escapeXml(loc)}</loc>${lastmod === null ? "" : `<lastmod>${iso(lastmod)}</lastmod>`}</${
    tag
  }>\n`;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";

function document(root: "urlset" | "sitemapindex", entries: string[]): PublicDocument {
  return {
    body: `${XML_DECLARATION}<${root} xmlns="${SITEMAP_NS}">\n${entries.join("")}</${root}>\n`,
    type: XML_TYPE,
  };
}

/** What a sitemap reads: the database, the base URL, and the clock that judges the service friends' standing. */
type SitemapDeps = Pick<Deps, "db" | "config" | "clock">;

const newest = (times: number[], fallback: number) => times.reduce((a, b) => Math.max(a, b), fallback);

/**
 * `/sitemap.xml`: the index of every public community's sitemaps: its pages (home, categories,
 * knowledge base, helpers) and its topics in chunks of `size`, each starting after a keyset position.
 */
export async function sitemapIndex(deps: SitemapDeps, size = TOPICS_PER_SITEMAP): Promise<PublicDocument> {
  const base = deps.config.baseUrl;
  const now = deps.clock.now();
  const communities = await q.publicCommunities(deps.db);
  const perCommunity = await Promise.all(
    communities.map(async (c) => {
      const [chunks, pages] = await Promise.all([
        q.topicChunks(deps.db, c.id, size),
        q.pagesUpdatedAt(deps.db, c.id, now),
      ]);
      return { community: c, chunks, pages };
    }),
  );
  const entries: string[] = [];
  for (const { community, chunks, pages } of perCommunity) {
    const lastActivity = newest(
      chunks.map((chunk) => chunk.lastActivityAt),
      Number(community.createdAt),
    );
    // The pages sitemap lists articles and service friends too: it is as new as the newest of them all.
    entries.push(entry("sitemap", `${base}/c/${community.slug}/sitemap.xml`, Math.max(lastActivity, pages)));
    for (const chunk of chunks)
      entries.push(
        entry("sitemap", `${base}/c/${community.slug}/sitemap-topics.xml?after=${chunk.after}`, chunk.lastActivityAt),
      );
  }
  return document("sitemapindex", entries);
}

/**
 * `/c/:slug/sitemap.xml`: the community's own pages, its readable categories, articles and the
 * profiles of the service friends who sell there now (as the marketplace's search lists them).
 */
export async function communitySitemap(deps: SitemapDeps, community: q.PublicCommunityRow): Promise<PublicDocument> {
  const base = `${deps.config.baseUrl}/c/${community.slug}`;
  const now = deps.clock.now();
  const [categories, articles, helpers, chunks] = await Promise.all([
    q.readableCategories(deps.db, community.id),
    q.articleUrls(deps.db, community.id, SITEMAP_URLS / 2),
    q.helperProfiles(deps.db, community.id, now, SITEMAP_URLS / 4),
    q.topicChunks(deps.db, community.id, TOPICS_PER_SITEMAP),
  ]);
  const lastActivity = newest(
    chunks.map((c) => c.lastActivityAt),
    Number(community.createdAt),
  );
  const lastArticle = newest(
    articles.map((a) => Number(a.updatedAt)),
    Number(community.createdAt),
  );
  const entries = [
    entry("url", base, lastActivity),
    ...categories.map((c) => entry("url", `${base}?category=${encodeURIComponent(c.slug)}`, null)),
    ...(articles.length ? [entry("url", `${base}/kb`, lastArticle)] : []),
    ...articles.map((a) => entry("url", `${base}/kb/${a.id}`, Number(a.updatedAt))),
    ...helpers.map((h) => entry("url", `${base}/helpers/${h.userId}`, Number(h.updatedAt))),
  ];
  return document("urlset", entries);
}

/** `/c/:slug/sitemap-topics.xml?after=N`: up to `size` readable topics with ids after N, by id. */
export async function topicSitemap(
  deps: Pick<Deps, "db" | "config">,
  community: q.PublicCommunityRow,
  after: number,
  size = TOPICS_PER_SITEMAP,
): Promise<PublicDocument> {
  const topics = await q.topicsAfter(deps.db, community.id, after, size);
  const base = deps.config.baseUrl;
  const entries = topics.map((t) =>
    entry("url", base + topicPath(community.slug, t.id, t.title), Number(t.lastActivityAt)),
  );
  return document("urlset", entries);
}
