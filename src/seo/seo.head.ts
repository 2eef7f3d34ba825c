import type { Community } from "../db/schema.ts";
import { html, raw, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { topicPath } from "../topics/index.ts";
import { feedPath, type FeedRequest } from "./seo.feeds.ts";
import { articleNode, breadcrumbList, forumPosting, qaPage } from "./seo.jsonld.ts";
import { isPrivatePath } from "./seo.robots.ts";
import { firstSentences, plainText } from "./seo.text.ts";

type CommunityFacts = Pick<Community, "slug" | "name" | "description" | "locale" | "visibility">;

/** What the head says about a page, worked out from its subject. */
interface PageFacts {
  /** The page's one address, a path below BASE_URL. */
  canonical: string;
  description: string;
  type: "website" | "article";
  community: CommunityFacts | null;
  /** Search results, empty lists, member-only and private pages. */
  noindex: boolean;
  feeds: { title: string; path: string }[];
  structured: Record<string, unknown>[];
}

/** A requested path as a canonical address: no query, and the community's slug lowercase as it is stored. */
const pathOnly = (path: string) =>
  path.replace(/[?#].*$/, "").replace(/^\/c\/[^/]+/, (community) => community.toLowerCase());

/**
 * Structured data (JSON-LD) is for search engines, which never sign in: a member's page leaves it
 * out. On a topic it restates every answer as plain text: 3-4% of a signed-in page's CPU.
 */
const forCrawlers = (page: PageContext) => page.actor === null;

/** A feed the page follows, titled as the feed titles itself (a category by its name, `categoryName`). */
function feedLink(page: PageContext, community: CommunityFacts, feed: FeedRequest, categoryName?: string) {
  const names = { community: community.name };
  const title =
    feed.kind === "category"
      ? page.t("feed.category", { ...names, category: categoryName ?? feed.category })
      : feed.kind === "tag"
        ? page.t("feed.tag", { ...names, tag: feed.tag })
        : feed.kind === "solved"
          ? page.t("feed.solved", names)
          : feed.kind === "kb"
            ? page.t("feed.kb", names)
            : page.t("feed.latest", names);
  return { title, path: feedPath(community.slug, feed) };
}

function facts(page: PageContext, view: PageView): PageFacts {
  const base = page.deps.config.baseUrl;
  const subject = view.subject;
  const generic: PageFacts = {
    canonical: pathOnly(page.path),
    description: "",
    type: "website",
    community: null,
    // A page a crawler cannot see anyway (signed in) or must not index (forms, search, account).
    noindex: page.personal || isPrivatePath(page.path),
    feeds: [],
    structured: [],
  };
  if (!subject) return generic;
  switch (subject.kind) {
    case "topic": {
      const { topic, replies, access } = subject.data;
      const community = access.community;
      const canonical = topicPath(community.slug, topic.id, topic.title);
      const accepted = replies.find((r) => r.accepted && r.moderationState === "visible");
      return {
        canonical,
        description: firstSentences(plainText((accepted ?? topic).bodyHtml)),
        type: "article",
        community,
        noindex: community.visibility !== "public" || topic.scope === "private" || topic.moderationState !== "visible",
        feeds: [
          {
            title: page.t("feed.replies", { title: topic.title }),
            path: feedPath(community.slug, { kind: "topic", id: topic.id }),
          },
          feedLink(page, community, { kind: "latest" }),
        ],
        structured: forCrawlers(page)
          ? [(topic.kind === "question" ? qaPage : forumPosting)(base, base + canonical, subject.data)]
          : [],
      };
    }
    case "topicList": {
      const { community, filter, categories } = subject;
      const wanted = filter.category?.toLowerCase();
      // As the list reads it (topics.service): an id wins over another category's slug spelled like it.
      const id = wanted && /^\d{1,10}$/.test(wanted) ? Number(wanted) : null;
      const category = wanted
        ? (categories.find((c) => c.id === id) ?? categories.find((c) => c.slug === wanted))
        : undefined;
      const home = `/c/${community.slug}`;
      // A category whose topics anonymous visitors may not read has no feed (404): none is offered.
      const categoryFeed = category && category.scope !== "private" && !category.championsOnly;
      const extra: FeedRequest[] = category
        ? categoryFeed
          ? [{ kind: "category", category: category.slug }]
          : []
        : filter.tag
          ? [{ kind: "tag", tag: filter.tag }]
          : [{ kind: "kb" }];
      return {
        canonical: category
          ? `${home}?category=${encodeURIComponent(category.slug)}`
          : filter.tag
            ? `${home}?tag=${encodeURIComponent(filter.tag)}`
            : home,
        description: firstSentences(category?.description || community.description),
        type: "website",
        community,
        // Later pages and narrower filters repeat what the first page and the sitemap already show.
        noindex:
          subject.empty ||
          community.visibility !== "public" ||
          (filter.category !== undefined && !category) ||
          filter.cursor !== undefined ||
          filter.kind !== undefined ||
          filter.status !== undefined,
        feeds: [{ kind: "latest" as const }, { kind: "solved" as const }, ...extra].map((feed) =>
          feedLink(page, community, feed, category?.name),
        ),
        structured: [],
      };
    }
    case "articleList": {
      const { community } = subject;
      return {
        canonical: `/c/${community.slug}/kb`,
        description: firstSentences(community.description),
        type: "website",
        community,
        noindex: subject.empty || community.visibility !== "public" || page.path.includes("cursor="),
        feeds: [feedLink(page, community, { kind: "kb" })],
        structured: [],
      };
    }
    case "article": {
      const { community, article } = subject;
      const description = firstSentences(plainText(article.bodyHtml));
      return {
        canonical: article.url,
        description,
        type: "article",
        community,
        noindex: community.visibility !== "public",
        feeds: [feedLink(page, community, { kind: "kb" })],
        structured: [articleNode(base, base + article.url, community, article, description)],
      };
    }
  }
}

/** JSON in a script element: `<` escaped so no text can close the element. */
const jsonLd = (node: Record<string, unknown>) =>
  html`<script type="application/ld+json">${raw(JSON.stringify(node).replace(/</g, "\\u003c"))}</script>\n`;

/**
 * The head of every page for search engines and link previews: canonical address (from BASE_URL),
 * meta description, Open Graph and Twitter card, hreflang of the community's language, `noindex`
 * where a page must not be indexed, the feeds it follows, and its structured data (JSON-LD).
 */
export function seoHead(page: PageContext, view: PageView): Html {
  // Error pages are never indexed and have no address of their own.
  if (page.reply.statusCode >= 400) return html`<meta name="robots" content="noindex">\n`;
  const base = page.deps.config.baseUrl;
  const f = facts(page, view);
  const url = base + f.canonical;
  const siteName = f.community?.name ?? page.t("app.name");
  const trail = page.trail?.length ? [breadcrumbList(base, page.trail, url)] : [];
  return html`<link rel="canonical" href="${url}">
${f.noindex ? html`<meta name="robots" content="noindex">\n` : ""}${
  f.description
    ? html`<meta name="description"
  content="${f.description}">\n`
    : ""
}<meta property="og:type" content="${f.type}">
<meta property="og:site_name" content="${siteName}">
<meta property="og:title" content="${view.title}">
<meta property="og:url" content="${url}">
${f.description ? html`<meta property="og:description" content="${f.description}">\n` : ""}${
  f.community
    ? html`<meta
  property="og:locale" content="${f.community.locale}">\n`
    : ""
}<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="${view.title}">
${f.description ? html`<meta name="twitter:description" content="${f.description}">\n` : ""}${
  f.community
    ? html`<link rel="alternate" hreflang="${f.community.locale}" href="${url}">
<link rel="alternate" hreflang="x-default" href="${url}">\n`
    : ""
}${f.feeds.map(
  (feed) => html`<link rel="alternate" type="application/atom+xml" title="${feed.title}"
  href="${feed.path}">\n`,
)}${forCrawlers(page) ? [...f.structured, ...trail].map(jsonLd) : ""}`;
}
