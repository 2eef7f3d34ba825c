import { sql, type RawBuilder } from "kysely";
import type { Db } from "../db/database.ts";
import type { TopicKind } from "../db/schema.ts";
import type { TopicStatus } from "../topics/index.ts";
import { hasStatus } from "../topics/index.ts";
import { visibleTopicsSql, type TopicViewer } from "../topics/index.ts";
import type { SearchLocale } from "./search.text.ts";

/**
 * One search module, one backend per database. Both take the same documents and requests and
 * pass the same tests (test/search); what differs is how text is matched and ranked.
 */
export interface SearchBackend {
  /** Writes (or rewrites) one document's text; the caller supplies a transaction when it has one. */
  upsert(db: Db, doc: IndexedDocument, now: number): Promise<void>;
  /** One page of ranked hits in one query: articles first, then topics by relevance with the solved boost. */
  search(db: Db, request: SearchRequest): Promise<HitRow[]>;
  /** Candidates for similar questions: best lexical matches and best title trigram matches, duplicates left out. */
  similarCandidates(db: Db, request: SimilarRequest): Promise<CandidateRow[]>;
}

export interface IndexedDocument {
  communityId: number;
  docType: "topic" | "article";
  topicId: number | null;
  articleId: number | null;
  locale: SearchLocale;
  title: string;
  tags: string;
  body: string;
  /** The accepted answer: weighted above other replies ("accepted answers ranked up"). */
  accepted: string;
  replies: string;
}

export interface SearchFilters {
  kind?: TopicKind;
  status?: TopicStatus;
  tag?: string;
  categoryId?: number;
}

export interface SearchRequest {
  communityId: number;
  /** Who is searching: which topics they may see (see visibleTo). */
  audience: Audience;
  locale: SearchLocale;
  /** Safe words (letters and digits only), see search.text.ts. */
  terms: string[];
  /** all: every word must match; any: at least one (ranked by how well). */
  mode: "all" | "any";
  filters: SearchFilters;
  limit: number;
  offset: number;
}

export interface SimilarRequest {
  communityId: number;
  audience: Audience;
  locale: SearchLocale;
  title: string;
  terms: string[];
  /** Candidates taken from each of the lexical and trigram lists. */
  pool: number;
}

/**
 * Ranking constants, the same idea on both engines (their raw scores are on different scales).
 * Column weights: title 10, tags 4, body 4, accepted answer 2, other replies 1 (FTS5 bm25 weights;
 * PostgreSQL's four tsvector weights A=1.0 title, B=0.4 tags and body, C=0.2 accepted, D=0.1 replies).
 */
export const BM25_WEIGHTS = { title: 10, tags: 4, body: 4, accepted: 2, replies: 1 } as const;
export const TS_RANK_WEIGHTS = "{0.1,0.2,0.4,1.0}";
/** Similar questions compare questions with questions: answers take no part. */
export const TS_RANK_WEIGHTS_SIMILAR = "{0,0,0.4,1.0}";
/** Solved topics (and articles) score this much more than the same match in an unsolved topic. */
export const SOLVED_BOOST = 1.5;
/** Reply text beyond this is not indexed (PostgreSQL refuses tsvectors over 1 MB). */
export const INDEXED_REPLIES_MAX = 200_000;

/**
 * What the search query returns per hit: the document, the topic to show (its full row is loaded
 * by the topics domain, topics.topicsByIds, so results have exactly the topic list's shape), the
 * article summary, snippets and score.
 */
export interface HitRow {
  docId: number;
  docType: "topic" | "article";
  score: number;
  duplicateOf: number | null;
  snipBody: string | null;
  snipAccepted: string | null;
  snipReplies: string | null;
  /** The topic, or the article's source topic. */
  tId: number | null;
  tAcceptedReplyId: number | null;
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

export interface CandidateRow extends Omit<HitRow, "snipBody" | "snipAccepted" | "snipReplies" | "score"> {
  docTitle: string;
  lexical: number;
  /** Title similarity 0..1 (pg_trgm on PostgreSQL; computed in TypeScript on SQLite). */
  trigram: number;
}

const HIT_COLUMNS = [
  ["d.id", "doc_id"],
  ["d.doc_type", "doc_type"],
  ["dup.original_id", "duplicate_of"],
  ["t.id", "t_id"],
  ["t.accepted_reply_id", "t_accepted_reply_id"],
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

/** Solved topics and articles get the boost; status is read from the live topic row, never from the index. */
export const boostFactor: RawBuilder<number> = sql<number>`(case when d.doc_type = 'article' or t.accepted_reply_id is not null then ${sql.lit(SOLVED_BOOST)} else 1.0 end)`;

/** Articles come first; then by score. */
export const tier: RawBuilder<number> = sql<number>`(case when d.doc_type = 'article' then 0 else 1 end)`;

/** Who is searching, as the topic list sees them. */
export interface Audience {
  viewer: TopicViewer;
  /** May see champions-only categories (can(access, "category.champions")). */
  champions: boolean;
}

/**
 * The topic hits a viewer may see: the topic list's conditions (topics.queries listTopics):
 * private categories only for their asker and staff (topics.visibility.ts), moderated or merged
 * topics left out, champions-only categories only for champions and staff. Articles are for
 * everyone who sees the community; the source topic an article carries is checked again in
 * TypeScript with the topics domain's policy before it is shown.
 */
export function visibleTo(audience: Audience): RawBuilder<unknown> {
  const champions = audience.champions ? sql`` : sql` and (cat.champions_only is null or cat.champions_only = 0)`;
  return sql`and (d.doc_type = 'article' or (${visibleTopicsSql(audience.viewer, "t")} and t.moderation_state = 'visible'${champions}))`;
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
export const notDuplicate: RawBuilder<unknown> = sql`and not exists (select 1 from topic_duplicates x where x.topic_id = d.topic_id)`;
