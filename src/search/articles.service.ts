import type { Actor, Deps } from "../core/deps.ts";
import { canView, type CommunityAccess } from "../access/access.ts";
import type { Community } from "../db/schema.ts";
import { fieldRefused, forbidden, notFound } from "../core/errors.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import { indexArticle } from "./search.index.ts";

import type { SearchAccess } from "./search.service.ts";
import type { CreateArticleInput, EditArticleInput } from "./search.schema.ts";
import { communityAccess } from "../communities/index.ts";
import { can } from "../access/privileges.ts";
import { articleAllowsSql, canSeeArticle } from "./articles.visibility.ts";
import { canSeeTopic, topicViewer, topicsByIds, wouldReveal, type TopicVisibilityFacts } from "../topics/index.ts";
import { iso } from "../lib/iso-time.ts";

/** A promoted topic's article may not be read by more people than the topic (422 categoryId). */
const WOULD_REVEAL = "The article would show the topic to readers who may not see it.";

function articleSelect(deps: Pick<Deps, "db">) {
  return deps.db
    .selectFrom("articles")
    .innerJoin("users as author", "author.id", "articles.authorId")
    .leftJoin("categories", "categories.id", "articles.categoryId")
    .leftJoin("topics as source", "source.id", "articles.sourceTopicId")
    .leftJoin("categories as sourceCategory", "sourceCategory.id", "source.categoryId")
    .select([
      "articles.id",
      "articles.communityId",
      "articles.categoryId",
      "articles.sourceTopicId",
      "articles.authorId",
      "articles.title",
      "articles.body",
      "articles.bodyHtml",
      "articles.createdAt",
      "articles.updatedAt",
      "author.name as authorName",
      "categories.slug as categorySlug",
      "categories.name as categoryName",
      "categories.scope as categoryScope",
      "categories.championsOnly as categoryChampionsOnly",
      "source.authorId as sourceAuthorId",
      "sourceCategory.scope as sourceCategoryScope",
      "sourceCategory.championsOnly as sourceChampionsOnly",
    ]);
}

/** An article as a topic its writer posted in its category, for `wouldReveal` (articles.visibility.ts). */
const articleFacts = (article: Omit<TopicVisibilityFacts, "moderationState">): TopicVisibilityFacts => ({
  ...article,
  moderationState: "visible",
});

type ArticleRow = Awaited<ReturnType<ReturnType<typeof articleSelect>["executeTakeFirstOrThrow"]>>;

export function toPublicArticle(row: ArticleRow, community: Pick<Community, "slug">) {
  return {
    id: row.id,
    communityId: row.communityId,
    community: community.slug,
    title: row.title,
    body: row.body,
    bodyHtml: row.bodyHtml,
    category: row.categoryId ? { id: row.categoryId, slug: row.categorySlug!, name: row.categoryName! } : null,
    sourceTopicId: row.sourceTopicId,
    sourceTopicUrl: row.sourceTopicId ? `/c/${community.slug}/t/${row.sourceTopicId}` : null,
    author: { id: row.authorId, name: row.authorName },
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    url: `/c/${community.slug}/kb/${row.id}`,
  };
}

export type PublicArticle = ReturnType<typeof toPublicArticle>;

/**
 * The articles as the viewer reads them: "based on the solved topic" names and links only a topic
 * the viewer may open (a hidden or deleted one is not found; a merged one leads to the topic it went
 * into). One query for the sources of the whole list.
 */
async function asReadBy(deps: Deps, access: CommunityAccess, rows: ArticleRow[]): Promise<PublicArticle[]> {
  const ids = [...new Set(rows.flatMap((row) => (row.sourceTopicId ? [row.sourceTopicId] : [])))];
  const sources = ids.length ? await topicsByIds(deps, ids) : new Map();
  const viewer = topicViewer(access);
  return rows.map((row) => {
    const article = toPublicArticle(row, access.community);
    const source = row.sourceTopicId ? sources.get(row.sourceTopicId) : undefined;
    const linked = source && (source.moderationState === "merged" || canSeeTopic(viewer, source));
    return linked ? article : { ...article, sourceTopicId: null, sourceTopicUrl: null };
  });
}

/** What the viewer may do with a community's knowledge base: write and edit articles (staff). */
export function articleAbilities(access: CommunityAccess) {
  return { write: can(access, "article.write") };
}

/** A community's articles, newest first, keyset-paginated by id, and whether the viewer may write one. */
export async function listArticles(deps: Deps, access: SearchAccess, input: { cursor?: number; limit: number }) {
  let query = articleSelect(deps)
    .where("articles.communityId", "=", access.community.id)
    .where(articleAllowsSql(topicViewer(access), "articles"));
  if (input.cursor) query = query.where("articles.id", "<", input.cursor);
  const rows = await query
    .orderBy("articles.id", "desc")
    .limit(input.limit + 1)
    .execute();
  const page = rows.slice(0, input.limit);
  return {
    articles: await asReadBy(deps, access, page),
    nextCursor: rows.length > input.limit ? page[page.length - 1].id : null,
    abilities: articleAbilities(access),
  };
}

/** The article's row and the viewer's access to its community; "not found" when the viewer may not see it. */
async function readableArticle(deps: Deps, id: number, actor: Actor | null) {
  const row = await articleSelect(deps).where("articles.id", "=", id).executeTakeFirst();
  if (!row) throw notFound("Article");
  const access = await communityAccess(deps, { id: row.communityId }, actor);
  if (!canView(access) || !canSeeArticle(topicViewer(access), row)) throw notFound("Article");
  return { row, access };
}

/** An article and the viewer's access to its community; "not found" when the viewer may not see it. */
export async function getArticle(deps: Deps, id: number, actor: Actor | null) {
  const { row, access } = await readableArticle(deps, id, actor);
  const [article] = await asReadBy(deps, access, [row]);
  return { article, access, canEdit: articleAbilities(access).write };
}

/** The article's category in this community (422 when unknown), as the visibility rule reads it. */
async function categoryOf(deps: Deps, communityId: number, categoryId: number | null | undefined) {
  if (!categoryId) return { categoryScope: null, categoryChampionsOnly: null };
  const row = await deps.db
    .selectFrom("categories")
    .select(["scope as categoryScope", "championsOnly as categoryChampionsOnly"])
    .where("id", "=", categoryId)
    .where("communityId", "=", communityId)
    .executeTakeFirst();
  if (!row) throw fieldRefused("categoryId", "Unknown category.", "kb.unknownCategory");
  return row;
}

/**
 * The solved topic to promote: same community, readable by the writer and not held or hidden, with
 * an accepted answer; its text is the draft.
 */
async function promotable(deps: Deps, access: SearchAccess, topicId: number) {
  const topic = await deps.db
    .selectFrom("topics")
    .leftJoin("replies", "replies.id", "topics.acceptedReplyId")
    .leftJoin("categories", "categories.id", "topics.categoryId")
    .select([
      "topics.id",
      "topics.communityId",
      "topics.authorId",
      "topics.moderationState",
      "topics.title",
      "topics.body",
      "topics.categoryId",
      "topics.acceptedReplyId",
      "categories.scope as categoryScope",
      "categories.championsOnly as categoryChampionsOnly",
      "replies.body as answer",
      "replies.moderationState as answerState",
    ])
    .where("topics.id", "=", topicId)
    .executeTakeFirst();
  if (
    !topic ||
    topic.communityId !== access.community.id ||
    topic.moderationState !== "visible" ||
    !canSeeTopic(topicViewer(access), topic)
  )
    throw fieldRefused("sourceTopicId", "Unknown topic.", "kb.notSolved");
  // A hidden accepted answer stays the solution (only deleting it withdraws it), but is not published.
  if (topic.acceptedReplyId === null || topic.answer === null || topic.answerState !== "visible")
    throw fieldRefused("sourceTopicId", "Only a solved topic can be promoted.", "kb.notSolved");
  return { ...topic, answer: topic.answer };
}

/**
 * Publishes an article (staff, moderators, admins): written from scratch, or promoted from a solved
 * topic, whose question and accepted answer are the default text. Indexed at once, so it comes
 * first in search and suggestions.
 */
export async function createArticle(deps: Deps, access: SearchAccess, input: CreateArticleInput) {
  if (!access.actor) throw forbidden("You need to log in to do this.");
  if (!articleAbilities(access).write) throw forbidden("Only staff can write knowledge base articles.");
  const communityId = access.community.id;
  const source = input.sourceTopicId ? await promotable(deps, access, input.sourceTopicId) : null;
  const categoryId = input.categoryId !== undefined ? input.categoryId : (source?.categoryId ?? null);
  const category = await categoryOf(deps, communityId, categoryId);
  // A private-scope or champions-only question is not published to readers who may not see it.
  if (source && wouldReveal(source, articleFacts({ authorId: access.actor.id, ...category })))
    throw fieldRefused("categoryId", WOULD_REVEAL, "kb.wouldReveal");
  const title = input.title ?? source!.title;
  const body = input.body ?? `${source!.body}\n\n---\n\n${source!.answer}`;
  const now = deps.clock.now();
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("articles")
      .values({
        communityId,
        categoryId,
        sourceTopicId: source?.id ?? null,
        authorId: access.actor!.id,
        title,
        body,
        bodyHtml: renderMarkdown(body),
        createdAt: now,
        updatedAt: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await indexArticle({ db: trx, dialect: deps.dialect, clock: deps.clock }, row.id);
    return row.id;
  });
  return toPublicArticle(
    (await articleSelect(deps).where("articles.id", "=", id).executeTakeFirst())!,
    access.community,
  );
}

/**
 * Edits an article (staff). Moved out of its source topic's private or champions-only category, it
 * would publish the topic: refused, whatever the topic's moderation state (a deleted or hidden
 * topic still decides who reads the article, articles.visibility.ts), and whether or not the
 * editor may still open the topic.
 */
export async function editArticle(deps: Deps, id: number, actor: Actor, input: EditArticleInput) {
  const { row, access } = await readableArticle(deps, id, actor);
  if (!articleAbilities(access).write) throw forbidden("Only staff can edit knowledge base articles.");
  if (input.categoryId !== undefined) {
    const category = await categoryOf(deps, access.community.id, input.categoryId);
    // The source as the article's visibility reads it (articleSelect's join), not as the editor
    // reads it: a topic the editor may not open (deleted) is still the article's source.
    if (
      row.sourceAuthorId !== null &&
      wouldReveal(
        articleFacts({
          authorId: row.sourceAuthorId,
          categoryScope: row.sourceCategoryScope,
          categoryChampionsOnly: row.sourceChampionsOnly,
        }),
        articleFacts({ authorId: row.authorId, ...category }),
      )
    )
      throw fieldRefused("categoryId", WOULD_REVEAL, "kb.wouldReveal");
  }
  const body = input.body ?? row.body;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("articles")
      .set({
        title: input.title ?? row.title,
        body,
        bodyHtml: body === row.body ? row.bodyHtml : renderMarkdown(body),
        ...(input.categoryId !== undefined ? { categoryId: input.categoryId } : {}),
        updatedAt: deps.clock.now(),
      })
      .where("id", "=", id)
      .execute();
    await indexArticle({ db: trx, dialect: deps.dialect, clock: deps.clock }, id);
  });
  return toPublicArticle(
    (await articleSelect(deps).where("articles.id", "=", id).executeTakeFirst())!,
    access.community,
  );
}
