import { sql, type RawBuilder } from "kysely";
import type { Db } from "../db/database.ts";
import { idIn } from "../db/id-list.ts";
import { executeNamed } from "../db/prepared.ts";
import type { TopicKind } from "../db/schema.ts";
import type { TopicStatus } from "../topics/index.ts";
import { hasStatus } from "../topics/index.ts";
import { visibleTopicsSql, type TopicViewer } from "../topics/index.ts";
import { articleAllowsSql } from "./articles.visibility.ts";

export interface SearchFilters {
  kind?: TopicKind;
  status?: TopicStatus;
  tag?: string;
  categoryId?: number;
}

/**
 * What the search query returns per hit: the document, the topic to show (its full row is loaded
 * by the topics domain, topics.topicsByIds, so results have exactly the topic list's shape), the
 * article summary, snippets and score.
 */
export interface HitRow {
  docId: number;
  docType: "topic" | "article";
  docTitle: string;
  duplicateOf: number | null;
  /** The topic, or the article's source topic. */
  tId: number | null;
  tAcceptedReplyId: number | null;
  /** The topic's moderation state: an article links a merged source (it leads to the topic it went into). */
  tModerationState: string | null;
  aId: number | null;
  aTitle: string;
  aCommunityId: number;
  aCategoryId: number | null;
  aCategorySlug: string | null;
  aCategoryName: string | null;
  aSourceTopicId: number | null;
  aCreatedAt: number;
  aUpdatedAt: number;
}

const HIT_COLUMNS = [
  ["d.id", "doc_id"],
  ["d.doc_type", "doc_type"],
  ["d.title", "doc_title"],
  ["dup.original_id", "duplicate_of"],
  ["t.id", "t_id"],
  ["t.accepted_reply_id", "t_accepted_reply_id"],
  ["t.moderation_state", "t_moderation_state"],
  ["a.id", "a_id"],
  ["a.title", "a_title"],
  ["a.community_id", "a_community_id"],
  ["a.category_id", "a_category_id"],
  ["acat.slug", "a_category_slug"],
  ["acat.name", "a_category_name"],
  ["a.source_topic_id", "a_source_topic_id"],
  ["a.created_at", "a_created_at"],
  ["a.updated_at", "a_updated_at"],
] as const;

/** The select list of a hit: document, topic id, article summary, duplicate mark. */
export const hitColumns: RawBuilder<unknown> = sql.raw(
  HIT_COLUMNS.map(([column, alias]) => `${column} as ${alias}`).join(", "),
);
/** The same columns read back from a subquery aliased `s`. */
export const hitColumnsOf = (alias: string): RawBuilder<unknown> =>
  sql.raw(HIT_COLUMNS.map(([, name]) => `${alias}.${name}`).join(", "));

/** Joins from a search document `d` to what a hit shows; an article shows with its source topic, if any. */
export const hitJoins: RawBuilder<unknown> = sql.raw(`left join articles a on a.id = d.article_id
left join topics t on t.id = coalesce(d.topic_id, a.source_topic_id)
left join categories cat on cat.id = t.category_id
left join categories acat on acat.id = a.category_id
left join topic_duplicates dup on dup.topic_id = d.topic_id`);

/** Who is searching, as the topic list sees them. */
export interface Audience {
  viewer: TopicViewer;
}

/**
 * The topic hits a viewer may see: the topics domain's one visibility rule (topics.visibility.ts),
 * and only visible topics (held ones are not searchable, even by their author). Articles by the
 * category half of the same rule, for the article and the topic it came from
 * (articles.visibility.ts); the source topic an article carries is
 * checked again in TypeScript with the whole rule before it is shown.
 */
export function visibleTo(audience: Audience): RawBuilder<unknown> {
  return sql`and ((d.doc_type = 'article' and ${articleAllowsSql(audience.viewer, "a")}) or (${visibleTopicsSql(
    audience.viewer,
    "t",
  )} and t.moderation_state = 'visible'))`;
}

/** Filter conditions on the live rows (each prefixed with "and"); kind and open/answered leave articles out. */
export function filterConditions(filters: SearchFilters): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (filters.kind) parts.push(sql`and d.doc_type = 'topic' and t.kind = ${filters.kind}`);
  // The topic's lifecycle status, the same rule as the topic list (topics.status.ts); articles count as solved.
  if (filters.status === "solved") parts.push(sql`and (d.doc_type = 'article' or ${hasStatus("t", "solved")})`);
  else if (filters.status) parts.push(sql`and d.doc_type = 'topic' and ${hasStatus("t", filters.status)}`);
  if (filters.tag)
    parts.push(sql`and exists (select 1 from topic_tags tt where tt.topic_id = t.id and tt.tag = ${filters.tag})`);
  if (filters.categoryId) parts.push(sql`and coalesce(a.category_id, t.category_id) = ${filters.categoryId}`);
  return parts.length ? sql.join(parts, sql` `) : sql``;
}

/** Duplicates never appear in similar-question suggestions. */
export const notDuplicate: RawBuilder<unknown> = sql`and not exists
  (select 1 from topic_duplicates x where x.topic_id = d.topic_id)`;

/**
 * The hits among these documents that the audience may see and the filters keep, in one query,
 * in no particular order (the caller ranked them); with `exceptDuplicates`, topics marked as
 * duplicates are left out.
 */
export async function hitRows(
  db: Db,
  request: {
    communityId: number;
    audience: Audience;
    filters?: SearchFilters;
    exceptDuplicates?: boolean;
  },
  ids: number[],
): Promise<HitRow[]> {
  if (ids.length === 0) return [];
  return executeNamed(db, hitRowsQuery(db, request, ids));
}

/** The query hitRows runs (bench/explain.ts prints its plans). */
export function hitRowsQuery(
  db: Db,
  request: { communityId: number; audience: Audience; filters?: SearchFilters; exceptDuplicates?: boolean },
  ids: number[],
) {
  return sql<HitRow>`select ${hitColumns} from search_documents d ${hitJoins}
    where ${idIn(db, sql.raw("d.id"), ids)} and d.community_id = ${request.communityId}
      ${request.exceptDuplicates ? notDuplicate : sql``}
      ${visibleTo(request.audience)}
      ${filterConditions(request.filters ?? {})}`;
}

/** Text a snippet is looked for in, per field: its start (a snippet shows 24 words). */
const SNIPPET_TEXT_MAX = 20_000;

/** The texts of a document that snippets are cut from (search_texts). */
const SNIPPET_COLUMNS = { bodyText: "body_text", acceptedText: "accepted_text", repliesText: "replies_text" } as const;
export type SnippetField = keyof typeof SNIPPET_COLUMNS;

/**
 * The start of these fields of these documents (hits hitRows already let through), for snippets:
 * the body and the accepted answer for a page of hits; other replies only for the hits whose
 * body and accepted answer hold no query word.
 */
export async function snippetTexts<F extends SnippetField>(
  db: Db,
  ids: number[],
  fields: F[],
): Promise<Map<number, Record<F, string>>> {
  if (ids.length === 0) return new Map();
  const rows = await executeNamed(db, snippetTextsQuery(db, ids, fields));
  return new Map(rows.map((r) => [Number(r.docId), r as Record<F, string>]));
}

/** The query snippetTexts runs (bench/explain.ts prints its plan). */
export function snippetTextsQuery(db: Db, ids: number[], fields: SnippetField[]) {
  const columns = fields.map((f) => {
    const column = SNIPPET_COLUMNS[f];
    return sql`coalesce(substr(${sql.raw(column)}, 1, ${SNIPPET_TEXT_MAX}), '') as ${sql.raw(column)}`;
  });
  return sql<Record<SnippetField, string> & { docId: number }>`select doc_id, ${sql.join(columns)}
    from search_texts where ${idIn(db, sql.raw("doc_id"), ids)}`;
}
