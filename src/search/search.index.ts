import type { Deps } from "../core/deps.ts";
import { refreshPlannerStatistics } from "../db/statistics.ts";
import { deleteDocument, upsertDocument } from "./search.postings.ts";
import { embeddingModel, storeVector } from "./semantic.ts";
import { htmlToText, searchLocale, stripControl } from "./search.text.ts";

/** What indexing needs: the database (or a transaction), its engine, and the clock. */
export type IndexDeps = Pick<Deps, "db" | "dialect" | "clock">;

/** Replies read per topic when indexing; later replies of a huge thread add little to finding it. */
const REPLIES_INDEXED = 1_000;

/**
 * Re-indexes one topic: title, tags, body, the accepted answer and the other replies, in the
 * language of its community. Call it after the topic's text changes (created, edited, replied to,
 * solution accepted or withdrawn); a topic that no longer exists leaves the index. Kind, status,
 * category and duplicate marks are read from the live rows when searching, so they never go stale.
 * Three queries whatever the number of replies.
 */
export async function indexTopic(deps: IndexDeps, topicId: number): Promise<void> {
  const topic = await deps.db
    .selectFrom("topics")
    .innerJoin("communities", "communities.id", "topics.communityId")
    .select([
      "topics.id",
      "topics.communityId",
      "topics.title",
      "topics.bodyHtml",
      "topics.tags",
      "topics.acceptedReplyId",
      "communities.locale",
    ])
    .where("topics.id", "=", topicId)
    .executeTakeFirst();
  if (!topic) return removeFromIndex(deps, topicId);
  const replies = await deps.db
    .selectFrom("replies")
    .select(["id", "bodyHtml"])
    .where("topicId", "=", topicId)
    // Hidden, held and deleted replies are not searchable (setPostState re-indexes on every change).
    .where("moderationState", "=", "visible")
    .orderBy("id")
    .limit(REPLIES_INDEXED)
    .execute();
  const accepted = replies.find((r) => r.id === topic.acceptedReplyId);
  const body = htmlToText(topic.bodyHtml);
  const docId = await upsertDocument(
    deps.db,
    deps.dialect,
    {
      communityId: topic.communityId,
      docType: "topic",
      topicId: topic.id,
      articleId: null,
      locale: searchLocale(topic.locale),
      title: stripControl(topic.title),
      tags: (JSON.parse(topic.tags) as string[]).join(" "),
      body,
      accepted: accepted ? htmlToText(accepted.bodyHtml) : "",
      replies: replies
        .filter((r) => r !== accepted)
        .map((r) => htmlToText(r.bodyHtml))
        .join("\n"),
      solved: topic.acceptedReplyId !== null,
    },
    deps.clock.now(),
  );
  const model = embeddingModel();
  if (model) await storeVector(deps.db, model, docId, topic.communityId, `${topic.title}\n${body}`);
}

/**
 * Takes a topic out of the index, its statistics with it (deleting the topic does it too, by
 * cascade, but leaves the rows of the terms no document holds any more, at zero).
 */
export async function removeFromIndex(deps: Pick<Deps, "db">, topicId: number): Promise<void> {
  await deleteDocument(deps.db, "topicId", topicId);
}

/** Indexes a knowledge base article (title and body) so it comes up in search and suggestions. */
export async function indexArticle(deps: IndexDeps, articleId: number): Promise<void> {
  const article = await deps.db
    .selectFrom("articles")
    .innerJoin("communities", "communities.id", "articles.communityId")
    .select([
      "articles.id",
      "articles.communityId",
      "articles.title",
      "articles.bodyHtml",
      "articles.sourceTopicId",
      "communities.locale",
    ])
    .where("articles.id", "=", articleId)
    .executeTakeFirst();
  if (!article) return deleteDocument(deps.db, "articleId", articleId);
  await upsertDocument(
    deps.db,
    deps.dialect,
    {
      communityId: article.communityId,
      docType: "article",
      topicId: null,
      articleId: article.id,
      locale: searchLocale(article.locale),
      title: stripControl(article.title),
      tags: "",
      body: htmlToText(article.bodyHtml),
      accepted: "",
      replies: "",
      solved: true,
    },
    deps.clock.now(),
  );
}

/**
 * The index's tables, whose PostgreSQL statistics a bulk (re)index refreshes (an import, or the
 * rebuild at start-up). Until autovacuum comes round they describe the tables as they were
 * before, and the first searches are planned for nearly empty tables: the first similar-question
 * queries after a Stack Exchange site was loaded took 32-58 ms, and 18-39 ms with fresh
 * statistics.
 */
const INDEX_TABLES = ["searchDocuments", "searchPostings", "searchTerms", "searchStats", "searchTexts"] as const;

/**
 * Indexes every topic and article missing from the index, in batches; returns how many. Run it
 * once after upgrading a database that already holds topics (or from the start-up code: it is
 * cheap when nothing is missing). With `communityId`, re-indexes that whole community instead
 * (after its language changed, or an import), a batch per transaction. When it indexed anything,
 * PostgreSQL's statistics of the index are refreshed.
 */
export async function ensureIndexed(
  deps: IndexDeps,
  options: { communityId?: number; batch?: number; onProgress?: (topicsDone: number) => void } = {},
): Promise<number> {
  const batch = options.batch ?? 200;
  let done = 0;
  let afterId = 0;
  for (;;) {
    let query = deps.db
      .selectFrom("topics")
      .select("topics.id")
      .where("topics.id", ">", afterId)
      .orderBy("topics.id")
      .limit(batch);
    query = options.communityId
      ? query.where("topics.communityId", "=", options.communityId)
      : query.where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("searchDocuments")
                .select("searchDocuments.id")
                .whereRef("searchDocuments.topicId", "=", "topics.id"),
            ),
          ),
        );
    const ids = await query.execute();
    if (ids.length === 0) break;
    if (options.communityId)
      // A whole community (an import): one transaction per batch instead of one per topic.
      await deps.db.transaction().execute(async (trx) => {
        for (const { id } of ids) await indexTopic({ ...deps, db: trx }, id);
      });
    else for (const { id } of ids) await indexTopic(deps, id);
    done += ids.length;
    options.onProgress?.(done);
    afterId = ids[ids.length - 1].id;
  }
  let articles = deps.db.selectFrom("articles").select("articles.id");
  articles = options.communityId
    ? articles.where("articles.communityId", "=", options.communityId)
    : articles.where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("searchDocuments")
              .select("searchDocuments.id")
              .whereRef("searchDocuments.articleId", "=", "articles.id"),
          ),
        ),
      );
  for (const { id } of await articles.execute()) {
    await indexArticle(deps, id);
    done += 1;
  }
  if (done > 0) await refreshPlannerStatistics(deps.db, INDEX_TABLES);
  return done;
}
