import { z } from "zod";
import type { FastifyReply, FastifyRequest } from "fastify";
import { LIMITS } from "../core/config.ts";
import type { Deps } from "../core/deps.ts";
import { AppError, notFound } from "../core/errors.ts";
import { idParams, slugParams } from "../http/api.ts";
import { pathParams } from "../web/page.ts";
import type { PageRoute } from "../web/page-route.ts";
import { sendPublicDocument } from "../web/public-document.ts";
import { documentCache, modifiedMemory, readyDocument, type ReadyDocument } from "./seo.http.ts";
import { communitySitemap, sitemapIndex, topicSitemap } from "./seo.sitemap.ts";
import { buildFeed, type FeedRequest, mergedTopicFeed } from "./seo.feeds.ts";
import { robotsTxt } from "./seo.robots.ts";
import * as q from "./seo.queries.ts";

/** How long this process keeps a sitemap or robots.txt, and shared caches may keep any of these documents. */
const CACHE_SECONDS = 300;

const afterQuery = z.object({ after: z.coerce.number().int().min(0).max(LIMITS.idMax).default(0) });
const categoryFeedParams = slugParams.extend({ category: z.string().min(1).max(64) });
const tagFeedParams = slugParams.extend({ tag: z.string().min(1).max(64) });
const topicFeedParams = slugParams.extend({ id: idParams.shape.id });

type Handler = (req: FastifyRequest) => Promise<ReadyDocument>;

/** robots.txt, the sitemaps and the Atom feeds: public documents with conditional GET. */
export function seoPages(deps: Deps): PageRoute[] {
  const cached = documentCache(deps.clock, CACHE_SECONDS * 1000);
  const modified = modifiedMemory(deps.clock);
  const get = (path: string, handler: Handler): PageRoute => ({
    method: "GET",
    path,
    handle: async (req, reply: FastifyReply) => {
      const doc = await handler(req);
      return sendPublicDocument(req, reply, doc, { maxAge: CACHE_SECONDS, modified: modified(req.url, doc) });
    },
  });
  const community = async (slug: string) => {
    const row = await q.publicCommunity(deps.db, slug);
    if (!row) throw notFound("Sitemap");
    return row;
  };
  const feed = (path: string, request: (req: FastifyRequest) => FeedRequest) =>
    get(path, async (req) =>
      readyDocument(await buildFeed(deps, pathParams(slugParams, req.params).slug, request(req))),
    );

  // A merged topic's feed is not found as such; its subscribers are sent on to the feed of the topic it went
  // into, as its page's visitors are.
  const followingMerges = (route: PageRoute): PageRoute => ({
    ...route,
    handle: async (req, reply) => {
      try {
        return await route.handle(req, reply);
      } catch (error) {
        if (!(error instanceof AppError && error.code === "not_found")) throw error;
        const { slug, id } = pathParams(topicFeedParams, req.params);
        const moved = await mergedTopicFeed(deps, slug, id);
        if (!moved) throw error;
        return reply.header("cache-control", `public, max-age=${CACHE_SECONDS}`).redirect(moved, 301);
      }
    },
  });

  return [
    get("/robots.txt", () =>
      cached("robots", async () => ({
        body: robotsTxt(
          deps.config.baseUrl,
          (await q.publicCommunities(deps.db)).map((c) => c.slug),
        ),
        type: "text/plain; charset=utf-8",
      })),
    ),
    get("/sitemap.xml", () => cached("index", () => sitemapIndex(deps))),
    // The community is looked up on every request, not only when the cache is cold: one made
    // private must stop showing its topics' titles at once, not after the cache period.
    get("/c/:slug/sitemap.xml", async (req) => {
      const row = await community(pathParams(slugParams, req.params).slug);
      return cached(`pages:${row.slug}`, () => communitySitemap(deps, row));
    }),
    get("/c/:slug/sitemap-topics.xml", async (req) => {
      const row = await community(pathParams(slugParams, req.params).slug);
      const { after } = pathParams(afterQuery, req.query);
      return cached(`topics:${row.slug}:${after}`, () => topicSitemap(deps, row, after));
    }),
    feed("/c/:slug/feeds/latest", () => ({ kind: "latest" })),
    feed("/c/:slug/feeds/solved", () => ({ kind: "solved" })),
    feed("/c/:slug/feeds/kb", () => ({ kind: "kb" })),
    feed("/c/:slug/feeds/categories/:category", (req) => ({
      kind: "category",
      category: pathParams(categoryFeedParams, req.params).category,
    })),
    feed("/c/:slug/feeds/tags/:tag", (req) => ({ kind: "tag", tag: pathParams(tagFeedParams, req.params).tag })),
    followingMerges(
      feed("/c/:slug/feeds/topics/:id", (req) => ({ kind: "topic", id: pathParams(topicFeedParams, req.params).id })),
    ),
  ];
}
