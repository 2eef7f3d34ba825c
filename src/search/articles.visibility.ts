import { sql, type RawBuilder, type SqlBool } from "kysely";
import { canSeeTopic, categoryAllowsSql, type TopicViewer, type TopicVisibilityFacts } from "../topics/index.ts";

/** What decides who reads an article: its own category, and the category of the topic it was promoted from. */
export interface ArticleVisibilityFacts {
  authorId: number;
  categoryScope: TopicVisibilityFacts["categoryScope"];
  categoryChampionsOnly: number | null;
  sourceAuthorId: number | null;
  sourceCategoryScope: TopicVisibilityFacts["categoryScope"];
  sourceChampionsOnly: number | null;
}

/**
 * An article is read like a topic its writer posted in its category: one in a private-scope
 * category is for staff, one in a champions-only category for champions, staff and moderators.
 * An article promoted from a topic carries that topic's question and answer, so it is also read
 * only by those who may read the topic's category now: moving the topic to a private or
 * champions-only category later takes the article out of sight with it. (The topic's moderation
 * state does not count: hiding a post is a judgement on the post, not on the article staff wrote.)
 */
export function canSeeArticle(viewer: TopicViewer, article: ArticleVisibilityFacts): boolean {
  if (!canSeeTopic(viewer, article)) return false;
  return (
    article.sourceAuthorId === null ||
    canSeeTopic(viewer, {
      authorId: article.sourceAuthorId,
      categoryScope: article.sourceCategoryScope,
      categoryChampionsOnly: article.sourceChampionsOnly,
    })
  );
}

/** The same rule as an SQL condition on the articles row under `alias` (our own alias, never input). */
export function articleAllowsSql(viewer: TopicViewer, alias: string): RawBuilder<SqlBool> {
  const a = sql.raw(alias);
  return sql<SqlBool>`(${categoryAllowsSql(viewer, alias)} and not exists (select 1 from topics source
    where source.id = ${a}.source_topic_id and not ${categoryAllowsSql(viewer, "source")}))`;
}
