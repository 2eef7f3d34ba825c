import type { Deps } from "../core/deps.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can, canSeeCategory } from "../access/privileges.ts";
import type { Community } from "../db/schema.ts";
import { LIMITS } from "../core/config.ts";
import { validationFailed } from "../core/errors.ts";
import { toPublicTopic, topicsByIds, withLastReplies } from "../topics/index.ts";
import { canSeeTopic, topicViewer } from "../topics/index.ts";
import type { Audience, HitRow } from "./search.backend.ts";
import { fullTextSearch } from "./search.fulltext.ts";
import { SEARCH_LIMITS, type SearchInput } from "./search.schema.ts";
import { queryTermsOf, SEARCH_TERMS_MAX, searchLocale, snippetHtml } from "./search.text.ts";
import { issueDeflectionToken, shownItems } from "./deflection.token.ts";

/** The viewer's access to a community, with what search needs of the community (its language). */
export type SearchAccess = CommunityAccess & {
  community: Pick<Community, "id" | "slug" | "name" | "visibility" | "locale">;
};

export type PublicTopic = ReturnType<typeof toPublicTopic>;
/** A topic as lists show it: with its last reply. */
export type ListedTopic = Awaited<ReturnType<typeof withLastReplies<PublicTopic>>>[number];

/** What the reader may see: their topic visibility and whether champions-only categories count. */
export function audienceOf(reader: SearchAccess): Audience {
  return { viewer: topicViewer(reader) };
}

/**
 * The topics of a page of hits in the topic list's shape, loaded by the topics domain in one query
 * (topicsByIds) and checked with its policies: a topic the reader may not see is left out.
 */
export async function hitTopics(
  deps: Deps,
  reader: SearchAccess,
  ids: (number | null)[],
): Promise<Map<number, ListedTopic>> {
  const rows = await topicsByIds(deps, [...new Set(ids.filter((id): id is number => id !== null))]);
  const viewer = topicViewer(reader);
  const visible = [...rows.values()]
    .filter((row) => row.communityId === reader.community.id && canSeeTopic(viewer, row))
    .map((row) => toPublicTopic(row, reader.community, reader));
  return new Map((await withLastReplies(deps, visible)).map((topic) => [topic.id, topic]));
}

/**
 * The article of a hit, as a summary (GET /articles/:id has the whole article). Its source topic is
 * named only when the reader may open it (`topics`: the hit topics they may see, hitTopics) or it
 * was merged (its address leads on), as GET /articles/:id names it.
 */
export function articleOfHit(row: HitRow, community: Pick<Community, "slug">, topics: ReadonlyMap<number, unknown>) {
  if (row.aId === null) return null;
  const source = row.aSourceTopicId;
  const linked = source !== null && (topics.has(source) || (source === row.tId && row.tModerationState === "merged"));
  return {
    id: row.aId,
    communityId: row.aCommunityId,
    community: community.slug,
    title: row.aTitle,
    category: row.aCategoryId ? { id: row.aCategoryId, slug: row.aCategorySlug!, name: row.aCategoryName! } : null,
    sourceTopicId: linked ? source : null,
    createdAt: new Date(Number(row.aCreatedAt)).toISOString(),
    updatedAt: new Date(Number(row.aUpdatedAt)).toISOString(),
    url: `/c/${community.slug}/kb/${row.aId}`,
  };
}

export type ArticleSummary = NonNullable<ReturnType<typeof articleOfHit>>;

export interface SearchResult {
  /** "article" results come first; an article promoted from a topic carries that topic too. */
  type: "topic" | "article";
  topic: PublicTopic | null;
  article: ArticleSummary | null;
  /** HTML: the matching passage, escaped, with <mark> around matched words. */
  snippet: string;
  /** Relevance including the solved boost; comparable within one result list only. */
  score: number;
  /** Set when the topic was marked a duplicate: the original's id. */
  duplicateOf: number | null;
}

/** Six significant digits: bm25 scores of very common words are tiny but still ordered. */
const round = (n: number) => Number(Number(n).toPrecision(6));

interface Cursor {
  offset: number;
  mode: "all" | "any";
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.offset, cursor.mode])).toString("base64url");
}

function decodeCursor(value: string): Cursor {
  try {
    const [offset, mode] = JSON.parse(Buffer.from(value, "base64url").toString());
    if (
      Number.isInteger(offset) &&
      offset > 0 &&
      offset <= SEARCH_LIMITS.offsetMax &&
      (mode === "all" || mode === "any")
    )
      return { offset, mode };
  } catch {
    // fall through
  }
  throw validationFailed({ cursor: "Invalid cursor." });
}

/**
 * A category given by id or slug within the community; unknown is a 422, like the topic list, and so
 * is a champions-only category the reader may not see (its name is as unknown to them as in the list).
 */
async function categoryIdFor(deps: Deps, access: SearchAccess, category: string): Promise<number> {
  const id = /^\d{1,10}$/.test(category) && Number(category) <= LIMITS.idMax ? Number(category) : null;
  const rows = await deps.db
    .selectFrom("categories")
    .select(["id", "championsOnly"])
    .where("communityId", "=", access.community.id)
    .where((eb) =>
      id === null
        ? eb("slug", "=", category.toLowerCase())
        : eb.or([eb("id", "=", id), eb("slug", "=", category.toLowerCase())]),
    )
    .execute();
  const row = rows.find((r) => r.id === id) ?? rows[0];
  if (!row || !canSeeCategory(access, row)) throw validationFailed({ category: "Unknown category." });
  return row.id;
}

/**
 * Full-text search in one community: topics holding every word first, then those holding some
 * (title, tags, body, replies), each group with articles first and then by relevance with the
 * solved boost (search.fulltext.ts). Fewer than two letters: no results. `match` says whether the
 * first page's best result holds every word ("all") or only some ("any"). A few queries per page
 * (statistics, postings, the visible hits), plus the reader's standing and the page's topics as
 * the topic list loads them (topics.topicsByIds), so results match its shape.
 */
export async function search(
  deps: Deps,
  access: SearchAccess,
  input: SearchInput,
): Promise<{
  results: SearchResult[];
  nextCursor: string | null;
  match: "all" | "any" | null;
  /** post: the reader may ask a new question here (pages offer it when nothing matched). */
  abilities: { post: boolean };
  /** Echoed by the deflection events of this page of results (deflection.token.ts); null without a query. */
  deflectionToken: string | null;
}> {
  const locale = searchLocale(access.community.locale);
  const terms = queryTermsOf(input.q, locale, SEARCH_TERMS_MAX);
  const cursor = input.cursor ? decodeCursor(input.cursor) : null;
  const categoryId = input.category ? await categoryIdFor(deps, access, input.category) : undefined;
  const abilities = { post: can(access, "topic.create") };
  if (terms.length === 0) return { results: [], nextCursor: null, match: null, abilities, deflectionToken: null };
  const reader = access;
  const audience = audienceOf(reader);
  const offset = cursor?.offset ?? 0;
  const limit = Math.min(input.limit, SEARCH_LIMITS.offsetMax - offset);
  const rows =
    limit > 0
      ? await fullTextSearch(deps.db, {
          communityId: access.community.id,
          audience,
          locale,
          terms,
          filters: { kind: input.kind, status: input.status, tag: input.tag, categoryId },
          limit: limit + 1,
          offset,
        })
      : [];
  // The first page says whether anything holds every word; later pages carry that in the cursor.
  const mode: Cursor["mode"] = cursor?.mode ?? (rows.length === 0 || rows[0].all ? "all" : "any");
  const page = rows.slice(0, limit);
  const more = rows.length > limit && offset + limit < SEARCH_LIMITS.offsetMax;
  // The originals of duplicates too: one the reader may not see is not named (nor its id given).
  const topics = await hitTopics(deps, reader, [...page.map((row) => row.tId), ...page.map((row) => row.duplicateOf)]);
  const results = page
    .map((row) => ({
      type: row.docType,
      topic: row.tId === null ? null : (topics.get(row.tId) ?? null),
      article: articleOfHit(row, access.community, topics),
      snippet: snippetHtml(row.snippet),
      score: round(row.score),
      duplicateOf: row.duplicateOf !== null && topics.has(row.duplicateOf) ? row.duplicateOf : null,
    }))
    .filter((result) => result.type === "article" || result.topic !== null);
  return {
    results,
    nextCursor: more ? encodeCursor({ offset: offset + limit, mode }) : null,
    /**
     * all: the best results hold every word; any: nothing holds every word, so these hold some; null: no words to
     * search.
     */
    match: mode,
    abilities,
    deflectionToken: await issueDeflectionToken(
      deps.db,
      { communityId: access.community.id, kind: "search", query: input.q, items: shownItems(results) },
      deps.clock.now(),
    ),
  };
}
