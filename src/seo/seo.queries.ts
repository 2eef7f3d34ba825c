import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import { followMerges, visibleTopicsSql, type TopicViewer } from "../topics/index.ts";
import { articleAllowsSql } from "../search/index.ts";
import { helperInGoodStanding } from "../marketplace/index.ts";

/**
 * What an anonymous visitor may read, as SQL: the sitemaps and feeds are for search engines and
 * feed readers, which never log in. Public communities only; topics by the one visibility rule
 * (topics.visibility.ts) seen by nobody, visible (not held, hidden, deleted or merged); articles
 * outside private and champions-only categories.
 */
export const ANONYMOUS: TopicViewer = { userId: null, staff: false, champions: false, reviewer: false };

export async function publicCommunities(db: Db) {
  return db
    .selectFrom("communities")
    .select(["id", "slug", "name", "description", "locale", "createdAt"])
    .where("visibility", "=", "public")
    .orderBy("id")
    .execute();
}

export async function publicCommunity(db: Db, slug: string) {
  return db
    .selectFrom("communities")
    .select(["id", "slug", "name", "description", "locale", "createdAt"])
    .where("slug", "=", slug.toLowerCase())
    .where("visibility", "=", "public")
    .executeTakeFirst();
}

export type PublicCommunityRow = NonNullable<Awaited<ReturnType<typeof publicCommunity>>>;

/** The anonymous visitor's topics of a community, before ordering. */
function readableTopics(db: Db, communityId: number) {
  return db
    .selectFrom("topics")
    .leftJoin("categories", "categories.id", "topics.categoryId")
    .where("topics.communityId", "=", communityId)
    .where(visibleTopicsSql(ANONYMOUS))
    .where("topics.moderationState", "=", "visible");
}

/**
 * The community's topic sitemaps: its readable topics in id order cut into chunks of `size`,
 * each with the keyset position it starts after and its latest activity. One query.
 */
export async function topicChunks(db: Db, communityId: number, size: number) {
  // A literal, not a parameter: SQLite binds numbers as reals, which would not divide as integers.
  if (!Number.isInteger(size) || size < 1) throw new Error("A sitemap size is a positive integer.");
  const chunk = sql<number>`(numbered.position - 1) / ${sql.lit(size)}`;
  const numbered = readableTopics(db, communityId).select([
    "topics.id",
    "topics.lastActivityAt",
    sql<number>`row_number() over (order by topics.id)`.as("position"),
  ]);
  const rows = await db
    .selectFrom(numbered.as("numbered"))
    .select([
      chunk.as("chunk"),
      (eb) => eb.fn.min("numbered.id").as("firstId"),
      (eb) => eb.fn.max("numbered.lastActivityAt").as("lastActivityAt"),
    ])
    .groupBy(chunk)
    .orderBy("chunk")
    .execute();
  return rows.map((r, i) => ({
    after: i === 0 ? 0 : Number(r.firstId) - 1,
    lastActivityAt: Number(r.lastActivityAt),
  }));
}

/** One sitemap's topics: readable, in id order after the keyset position. */
export async function topicsAfter(db: Db, communityId: number, after: number, limit: number) {
  return readableTopics(db, communityId)
    .select(["topics.id", "topics.title", "topics.lastActivityAt"])
    .where("topics.id", ">", after)
    .orderBy("topics.id")
    .limit(limit)
    .execute();
}

/** The community's categories an anonymous visitor finds topics in (not private, not champions-only). */
export async function readableCategories(db: Db, communityId: number) {
  return db
    .selectFrom("categories")
    .select(["id", "slug", "name", "description"])
    .where("communityId", "=", communityId)
    .where("scope", "!=", "private")
    .where("championsOnly", "=", 0)
    .orderBy("position")
    .orderBy("id")
    .execute();
}

/**
 * The articles an anonymous visitor may read: outside private and champions-only categories, theirs
 * and their source topic's.
 */
function readableArticles(db: Db, communityId: number) {
  return db
    .selectFrom("articles")
    .where("articles.communityId", "=", communityId)
    .where(articleAllowsSql(ANONYMOUS, "articles"));
}

export async function articleUrls(db: Db, communityId: number, limit: number) {
  return readableArticles(db, communityId)
    .select(["articles.id", "articles.updatedAt"])
    .orderBy("articles.id", "desc")
    .limit(limit)
    .execute();
}

/**
 * Service friends with a public profile at `now`: approved and in good standing (not suspended or
 * banned, still taking part), the marketplace's own rule, as its search and profile page apply it.
 */
function sellingHelpers(db: Db, communityId: number, now: number) {
  return db
    .selectFrom("helpers")
    .where("helpers.communityId", "=", communityId)
    .where("helpers.status", "=", "approved")
    .where(helperInGoodStanding(sql.ref("helpers.userId"), sql.ref("helpers.communityId"), now));
}

/** Service friends who sell in the community now: their public profiles. */
export async function helperProfiles(db: Db, communityId: number, now: number, limit: number) {
  return sellingHelpers(db, communityId, now)
    .select(["helpers.userId", "helpers.updatedAt"])
    .orderBy("helpers.userId")
    .limit(limit)
    .execute();
}

/**
 * When the community's pages sitemap last changed besides its topics: its newest readable article
 * or listed service friend (0 when it has neither). Two aggregates, for the sitemap index.
 */
export async function pagesUpdatedAt(db: Db, communityId: number, now: number): Promise<number> {
  const [article, helper] = await Promise.all([
    readableArticles(db, communityId)
      .select((eb) => eb.fn.max("articles.updatedAt").as("at"))
      .executeTakeFirst(),
    sellingHelpers(db, communityId, now)
      .select((eb) => eb.fn.max("helpers.updatedAt").as("at"))
      .executeTakeFirst(),
  ]);
  return Math.max(Number(article?.at ?? 0), Number(helper?.at ?? 0));
}

/** Feed filters: a category (by slug), a tag, solved topics only. */
export interface FeedFilter {
  categoryId?: number;
  tag?: string;
  solved?: boolean;
}

/** The newest readable topics of a community (or of a category, a tag, the solved ones) for a feed. */
export async function feedTopics(db: Db, communityId: number, filter: FeedFilter, limit: number) {
  let query = readableTopics(db, communityId)
    .innerJoin("users as author", "author.id", "topics.authorId")
    .select([
      "topics.id",
      "topics.kind",
      "topics.title",
      "topics.bodyHtml",
      "topics.createdAt",
      "topics.lastActivityAt",
      "topics.editedAt",
      "topics.acceptedReplyId",
      "author.name as authorName",
      "categories.name as categoryName",
    ]);
  if (filter.categoryId !== undefined) query = query.where("topics.categoryId", "=", filter.categoryId);
  if (filter.tag !== undefined) {
    const tag = filter.tag;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("topicTags")
          .select("topicTags.topicId")
          .whereRef("topicTags.topicId", "=", "topics.id")
          .where("topicTags.communityId", "=", communityId)
          .where("topicTags.tag", "=", tag),
      ),
    );
  }
  if (filter.solved) {
    // Newly solved: solved topics by their last activity (the acceptance is activity on the topic).
    return query
      .where("topics.acceptedReplyId", "is not", null)
      .orderBy("topics.lastActivityAt", "desc")
      .orderBy("topics.id", "desc")
      .limit(limit)
      .execute();
  }
  return query.orderBy("topics.createdAt", "desc").orderBy("topics.id", "desc").limit(limit).execute();
}

export type FeedTopicRow = Awaited<ReturnType<typeof feedTopics>>[number];

export async function feedArticles(db: Db, communityId: number, limit: number) {
  return readableArticles(db, communityId)
    .innerJoin("users as author", "author.id", "articles.authorId")
    .select([
      "articles.id",
      "articles.title",
      "articles.bodyHtml",
      "articles.createdAt",
      "articles.updatedAt",
      "author.name as authorName",
    ])
    .orderBy("articles.updatedAt", "desc")
    .orderBy("articles.id", "desc")
    .limit(limit)
    .execute();
}

/**
 * The topic a merged topic of the community went into (merges followed), when the public may read it; null
 * for a topic that was not merged, or went where the public may not follow.
 */
export async function publicMergeTarget(db: Db, communityId: number, id: number): Promise<number | null> {
  const read = (at: number) =>
    db
      .selectFrom("topics")
      .select(["id", "moderationState", "mergedIntoId"])
      .where("id", "=", at)
      .where("communityId", "=", communityId)
      .executeTakeFirst();
  const merged = await read(id);
  const into = merged && (await followMerges(merged, read));
  return into && into.id !== id && (await readableTopic(db, communityId, into.id)) ? into.id : null;
}

/** A readable topic of the community by id, for its replies' feed. */
export async function readableTopic(db: Db, communityId: number, id: number) {
  return readableTopics(db, communityId)
    .select(["topics.id", "topics.title", "topics.createdAt", "topics.lastActivityAt"])
    .where("topics.id", "=", id)
    .executeTakeFirst();
}

/** The newest visible replies of a topic. */
export async function feedReplies(db: Db, topicId: number, limit: number) {
  return db
    .selectFrom("replies")
    .innerJoin("users as author", "author.id", "replies.authorId")
    .select([
      "replies.id",
      "replies.bodyHtml",
      "replies.createdAt",
      "replies.editedAt",
      "replies.official",
      "author.name as authorName",
    ])
    .where("replies.topicId", "=", topicId)
    .where("replies.moderationState", "=", "visible")
    .orderBy("replies.createdAt", "desc")
    .orderBy("replies.id", "desc")
    .limit(limit)
    .execute();
}

export async function categoryBySlug(db: Db, communityId: number, slug: string) {
  return db
    .selectFrom("categories")
    .select(["id", "slug", "name", "scope", "championsOnly"])
    .where("communityId", "=", communityId)
    .where("slug", "=", slug.toLowerCase())
    .executeTakeFirst();
}
