import type { Deps } from "../core/deps.ts";
import { notFound } from "../core/errors.ts";
import { isLocale, translator, type Translate } from "../i18n/i18n.ts";
import { escapeXml } from "../web/html.ts";
import { tag as tagSchema, topicPath } from "../topics/index.ts";
import type { PublicDocument } from "./seo.http.ts";
import * as q from "./seo.queries.ts";
import { iso } from "../lib/iso-time.ts";

/** Entries per feed: feed readers poll often and want the news, not the archive. */
export const FEED_ENTRIES = 30;

const ATOM_TYPE = "application/atom+xml; charset=utf-8";
const text = escapeXml;

interface FeedEntry {
  /** A permanent id: the entry's address without the title slug, which may change. */
  id: string;
  title: string;
  link: string;
  author: string;
  published: number;
  updated: number;
  html: string;
}

interface Feed {
  self: string;
  /** The HTML page the feed follows. */
  page: string;
  title: string;
  community: q.PublicCommunityRow;
  entries: FeedEntry[];
}

/** An Atom 1.0 document; updated is its newest entry's time (or the community's creation). */
function atom(feed: Feed): PublicDocument {
  const updated = feed.entries.reduce((max, e) => Math.max(max, e.updated), Number(feed.community.createdAt));
  const entries = feed.entries.map(
    (e) => `<entry>
<id>${text(e.id)}</id>
<title>${text(e.title)}</title>
<link rel="alternate" type="text/html" href="${text(e.link)}"/>
<author><name>${text(e.author)}</name></author>
<published>${iso(e.published)}</published>
<updated>${iso(e.updated)}</updated>
<content type="html">${text(e.html)}</content>
</entry>
`,
  );
  const body = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${text(feed.community.locale)}">
<id>${text(feed.self)}</id>
<title>${text(feed.title)}</title>
<link rel="self" type="application/atom+xml" href="${text(feed.self)}"/>
<link rel="alternate" type="text/html" href="${text(feed.page)}"/>
<author><name>${text(feed.community.name)}</name></author>
<generator>Crowdservice</generator>
<updated>${iso(updated)}</updated>
${entries.join("")}</feed>
`;
  return { body, type: ATOM_TYPE };
}

/** The feeds of a community, as paths below `/c/:slug/feeds/`. */
export type FeedRequest =
  | { kind: "latest" }
  | { kind: "solved" }
  | { kind: "kb" }
  | { kind: "category"; category: string }
  | { kind: "tag"; tag: string }
  | { kind: "topic"; id: number };

export function feedPath(slug: string, feed: FeedRequest): string {
  const base = `/c/${slug}/feeds`;
  switch (feed.kind) {
    case "category":
      return `${base}/categories/${encodeURIComponent(feed.category)}`;
    case "tag":
      return `${base}/tags/${encodeURIComponent(feed.tag)}`;
    case "topic":
      return `${base}/topics/${feed.id}`;
    default:
      return `${base}/${feed.kind}`;
  }
}

function communityTranslator(community: q.PublicCommunityRow): Translate {
  return translator(isLocale(community.locale) ? community.locale : "en");
}

/** Topic rows as entries: the question's text, its address with the title slug. */
function topicEntries(base: string, slug: string, rows: q.FeedTopicRow[]): FeedEntry[] {
  return rows.map((row) => ({
    id: `${base}/c/${slug}/t/${row.id}`,
    title: row.title,
    link: base + topicPath(slug, row.id, row.title),
    author: row.authorName,
    published: Number(row.createdAt),
    updated: Number(row.lastActivityAt),
    html: row.bodyHtml,
  }));
}

/** Where the feed of a merged topic went: the feed of the topic it went into, when the public may read that one. */
export async function mergedTopicFeed(deps: Pick<Deps, "db">, slug: string, id: number): Promise<string | null> {
  const community = await q.publicCommunity(deps.db, slug);
  const into = community && (await q.publicMergeTarget(deps.db, community.id, id));
  return community && into ? feedPath(community.slug, { kind: "topic", id: into }) : null;
}

/**
 * A community's feed as anonymous visitors may read it: the latest topics (of a category, of a
 * tag), newly solved topics, the knowledge base, or one topic's replies. A private community, an
 * unknown category or a topic the public may not read is "not found".
 */
export async function buildFeed(
  deps: Pick<Deps, "db" | "config">,
  slug: string,
  request: FeedRequest,
): Promise<PublicDocument> {
  const community = await q.publicCommunity(deps.db, slug);
  if (!community) throw notFound("Feed");
  const t = communityTranslator(community);
  const base = deps.config.baseUrl;
  const home = `${base}/c/${community.slug}`;
  const self = base + feedPath(community.slug, request);
  const names = { community: community.name };
  const latest = async (filter: q.FeedFilter) =>
    topicEntries(base, community.slug, await q.feedTopics(deps.db, community.id, filter, FEED_ENTRIES));
  const feed = (title: string, page: string, entries: FeedEntry[]) => atom({ self, page, title, community, entries });

  switch (request.kind) {
    case "latest":
      return feed(t("feed.latest", names), home, await latest({}));
    case "solved":
      return feed(t("feed.solved", names), `${home}?status=solved`, await latest({ solved: true }));
    case "category": {
      const category = await q.categoryBySlug(deps.db, community.id, request.category);
      if (!category || category.scope === "private" || category.championsOnly) throw notFound("Feed");
      return feed(
        t("feed.category", { ...names, category: category.name }),
        `${home}?category=${encodeURIComponent(category.slug)}`,
        await latest({ categoryId: category.id }),
      );
    }
    case "tag": {
      const parsed = tagSchema.safeParse(request.tag);
      if (!parsed.success) throw notFound("Feed");
      return feed(
        t("feed.tag", { ...names, tag: parsed.data }),
        `${home}?tag=${encodeURIComponent(parsed.data)}`,
        await latest({ tag: parsed.data }),
      );
    }
    case "kb": {
      const articles = await q.feedArticles(deps.db, community.id, FEED_ENTRIES);
      return feed(
        t("feed.kb", names),
        `${home}/kb`,
        articles.map((a) => ({
          id: `${home}/kb/${a.id}`,
          title: a.title,
          link: `${home}/kb/${a.id}`,
          author: a.authorName,
          published: Number(a.createdAt),
          updated: Number(a.updatedAt),
          html: a.bodyHtml,
        })),
      );
    }
    case "topic": {
      const topic = await q.readableTopic(deps.db, community.id, request.id);
      if (!topic) throw notFound("Feed");
      const page = base + topicPath(community.slug, topic.id, topic.title);
      const replies = await q.feedReplies(deps.db, topic.id, FEED_ENTRIES);
      return feed(
        t("feed.replies", { title: topic.title }),
        page,
        replies.map((r) => ({
          id: `${base}/c/${community.slug}/t/${topic.id}#reply-${r.id}`,
          title: t(r.official ? "feed.officialReply" : "feed.reply", { name: r.authorName }),
          link: `${page}#reply-${r.id}`,
          author: r.authorName,
          published: Number(r.createdAt),
          updated: Number(r.editedAt ?? r.createdAt),
          html: r.bodyHtml,
        })),
      );
    }
  }
}
