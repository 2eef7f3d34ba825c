import type { Actor, Deps } from "../core/deps.ts";
import { canJoin, isStaffRole, type CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import type { Community, Role, VoteTarget } from "../db/schema.ts";
import { notFound, validationFailed } from "../core/errors.ts";
import { LIMITS } from "../core/config.ts";
import * as q from "./topics.queries.ts";
import {
  canSeeCategory,
  canSeePost,
  replyAbilities,
  topicAbilities,
  type ReplyAbilities,
  type TopicAbilities,
} from "./topics.policy.ts";
import { authorStanding, type AuthorStanding } from "../access/trust-levels.ts";
import type { ListTopicsInput, TopicSort } from "./topics.schema.ts";
import { topicStatus } from "./topics.status.ts";
import { followMerges, REDACTED } from "./topics.state.ts";
import { canSeeTopic, topicViewer } from "./topics.visibility.ts";
import { communityAccess } from "../communities/index.ts";
import { topicPath } from "./topics.urls.ts";
import { avatarUrl } from "../web/avatar.ts";
import { linkMentions, mentionsIn } from "../lib/mention-links.ts";
import { iso } from "../lib/iso-time.ts";

export { topicStatus };

/** Columns reputation and moderation add to a topic row; rows other domains build may leave them out. */
type TrustColumns =
  | "moderationState"
  | "locked"
  | "mergedIntoId"
  | "categoryChampionsOnly"
  | "authorKudos"
  | "authorChampionSince"
  | "authorSuspendedUntil"
  | "authorRole"
  | "viewCount";
export type TopicRowInput = Omit<q.TopicRow, TrustColumns> & Partial<Pick<q.TopicRow, TrustColumns>>;

/** The community's ranks and the time of the request: what an author's standing is read against. */
export type StandingContext = Pick<CommunityAccess, "ranks" | "standing">;

/** A post's author; with the community's ranks also their rank, champion mark and suspension. */
function authorOf(
  row: {
    authorId: number;
    authorName: string;
    authorHandle: string;
    authorAvatarKey?: string | null;
    authorKudos?: number | null;
    authorChampionSince?: number | null;
    authorSuspendedUntil?: number | null;
    authorRole?: Role | null;
  },
  context?: StandingContext,
) {
  return {
    id: row.authorId,
    name: row.authorName,
    /** Unique; what @mentions name (added after name and avatarUrl, which stay as they were). */
    handle: row.authorHandle,
    avatarUrl: avatarUrl(row.authorAvatarKey),
    ...(context
      ? { ...authorStanding(context.ranks, row, context.standing.at), staff: isStaffRole(row.authorRole ?? null) }
      : {}),
  };
}

export function toPublicTopic(row: TopicRowInput, community: Pick<Community, "slug">, context?: StandingContext) {
  return {
    id: row.id,
    communityId: row.communityId,
    community: community.slug,
    categoryId: row.categoryId,
    category: row.categoryId ? { id: row.categoryId, slug: row.categorySlug!, name: row.categoryName! } : null,
    /** Who answers, from the category: crowd, staff_only, or private (only the asker and staff see the topic). */
    scope: row.categoryScope ?? "crowd",
    kind: row.kind,
    title: row.title,
    body: row.body,
    bodyHtml: row.bodyHtml,
    tags: JSON.parse(row.tags) as string[],
    author: authorOf(row, context),
    score: row.score,
    replyCount: row.replyCount,
    /** Of those, the replies that answer it: a merged topic's question is not one (topics.status.ts). */
    answerCount: row.answerCount,
    followerCount: row.followerCount,
    /** Views counted up to the last flush (they are written in batches, topics.viewcount.ts). */
    viewCount: Number(row.viewCount ?? 0),
    status: topicStatus(row),
    acceptedReplyId: row.acceptedReplyId,
    createdAt: iso(row.createdAt)!,
    lastActivityAt: iso(row.lastActivityAt)!,
    editedAt: iso(row.editedAt),
    /** The canonical address, with the title slug (topics.urls.ts). */
    url: topicPath(community.slug, row.id, row.title),
    moderationState: row.moderationState ?? "visible",
    locked: row.locked === 1,
  };
}

export type PublicTopic = ReturnType<typeof toPublicTopic>;

function encodeCursor(value: number, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString("base64url");
}

/** A cursor is client input: its values must fit the sort column (score is 32-bit, times are 64-bit) and an id. */
function decodeCursor(cursor: string, sort: TopicSort): { value: number; id: number } {
  const valueMax = sort === "votes" ? LIMITS.idMax : Number.MAX_SAFE_INTEGER;
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, "base64url").toString());
    const valid =
      Number.isInteger(value) && Math.abs(value) <= valueMax && Number.isInteger(id) && id > 0 && id <= LIMITS.idMax;
    if (valid) return { value, id };
  } catch {
    // fall through to the validation error
  }
  throw validationFailed({ cursor: "Invalid cursor." });
}

/** Resolves a category given by id or slug within the community; a slug may be all digits ("2025"). */
async function categoryIdFor(deps: Deps, access: CommunityAccess, category: string): Promise<number> {
  const slug = category.toLowerCase();
  const id = /^\d{1,10}$/.test(category) && Number(category) <= LIMITS.idMax ? Number(category) : null;
  const query = deps.db
    .selectFrom("categories")
    .select(["id", "championsOnly"])
    .where("communityId", "=", access.community.id);
  const row = await (id === null
    ? query.where("slug", "=", slug)
    : // An id wins over another category's slug spelled like it.
      query
        .where((eb) => eb.or([eb("id", "=", id), eb("slug", "=", slug)]))
        .orderBy((eb) => eb.case().when("id", "=", id).then(0).else(1).end())
  ).executeTakeFirst();
  // A champions-only category is as unknown to others as it is in the category list.
  if (!row || !canSeeCategory(access, row)) throw validationFailed({ category: "Unknown category." });
  return row.id;
}

/** Adds the list's "last reply by X, when" to a page of topics (null without a published reply), in one query. */
export async function withLastReplies<T extends { id: number }>(deps: Deps, topics: T[]) {
  const lastReplies = new Map(
    (
      await q.lastReplies(
        deps.db,
        topics.map((t) => t.id),
      )
    ).map((r) => [r.topicId, r]),
  );
  return topics.map((topic) => {
    const reply = lastReplies.get(topic.id);
    return {
      ...topic,
      lastReply: reply
        ? {
            author: { id: reply.authorId, name: reply.authorName, avatarUrl: avatarUrl(reply.authorAvatarKey) },
            at: iso(reply.createdAt)!,
          }
        : null,
    };
  });
}

export async function listTopics(deps: Deps, baseAccess: CommunityAccess, input: ListTopicsInput) {
  const access = await baseAccess;
  const rows = await q.listTopics(deps.db, {
    communityId: access.community.id,
    viewer: topicViewer(access),
    kind: input.kind,
    categoryId: input.category ? await categoryIdFor(deps, access, input.category) : undefined,
    tag: input.tag,
    status: input.status,
    sort: input.sort,
    after: input.cursor ? decodeCursor(input.cursor, input.sort) : undefined,
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    topics: await withLastReplies(
      deps,
      page.map((row) => toPublicTopic(row, access.community, access)),
    ),
    nextCursor: rows.length > input.limit && last ? encodeCursor(q.sortValue(last, input.sort), last.id) : null,
    /** What the viewer may do in the community beyond its topics (pages link to it). */
    abilities: {
      post: can(access, "topic.create"),
      join: canJoin(access),
      /** Members and roles; the staff queue; the support settings (scope, SLA, routing, webhook). */
      manage: can(access, "member.setRole"),
      staff: can(access, "queue.work"),
      support: can(access, "support.configure"),
      reviewQueue: can(access, "review.queue"),
      auditLog: can(access, "audit.view"),
      insights: can(access, "insights.view"),
      configure: can(access, "community.configure"),
      manageRewards: can(access, "reward.fulfil"),
    },
  };
}

type TopicWithAccess<Row> = { row: Row; access: Awaited<ReturnType<typeof communityAccess>>; canonicalUrl: string };

/**
 * Loads a topic and the viewer's access to its community, with their standing (kudos, champion,
 * suspension); "not found" when the viewer may not see it. A merged topic is found as the topic it
 * was merged into when `followMerge` is set (pages), and not at all otherwise (actions).
 */
export function topicWithAccess(
  deps: Deps,
  id: number,
  actor: Actor | null,
  options?: { followMerge?: boolean },
): Promise<TopicWithAccess<q.TopicRow>>;
/** The same, with the topic read by `read` (the page reads more of it at once: q.findTopicPage). */
export function topicWithAccess<Row extends q.TopicRow>(
  deps: Deps,
  id: number,
  actor: Actor | null,
  options: { followMerge?: boolean; read: (id: number) => Promise<Row | undefined> },
): Promise<TopicWithAccess<Row>>;
export async function topicWithAccess(
  deps: Deps,
  id: number,
  actor: Actor | null,
  options: { followMerge?: boolean; read?: (id: number) => Promise<q.TopicRow | undefined> } = {},
): Promise<TopicWithAccess<q.TopicRow>> {
  const read = options.read ?? ((topicId: number) => q.findTopic(deps.db, topicId));
  const found = await read(id);
  const row = found && options.followMerge ? await followMerges(found, read) : found;
  if (!row) throw notFound("Topic");
  const access = await communityAccess(deps, { id: row.communityId }, actor);
  if (!canSeeTopic(topicViewer(access), row)) throw notFound("Topic");
  return { row, access, canonicalUrl: topicPath(access.community.slug, row.id, row.title) };
}

/**
 * Topics by id, for lists other domains assemble (Questions for you, the staff queue); the caller checks visibility.
 */
export async function topicsByIds(deps: Pick<Deps, "db">, ids: number[]): Promise<Map<number, q.TopicRow>> {
  return new Map((await q.findTopics(deps.db, ids)).map((row) => [row.id, row]));
}

type PublicAuthor = { id: number; name: string; handle: string; avatarUrl: string | null } & Partial<AuthorStanding>;

export interface PublicReply {
  id: number;
  topicId: number;
  author: PublicAuthor;
  /** visible, or (for its author and reviewers) pending or hidden. */
  moderationState: string;
  body: string;
  bodyHtml: string;
  score: number;
  official: boolean;
  accepted: boolean;
  createdAt: string;
  editedAt: string | null;
  myVote: number;
  abilities: ReplyAbilities;
  comments: PublicComment[];
  /** The topic whose question this reply is, when a merge brought it here (another asking, not an answer). */
  mergedFromTopicId: number | null;
}

/** A comment under a reply or under the question itself. */
export interface PublicComment {
  id: number;
  author: PublicAuthor;
  body: string;
  bodyHtml: string;
  createdAt: string;
  moderationState: string;
}

/**
 * A topic page: the topic and its replies in display order (accepted solution, then official
 * replies, then by score, oldest first among equals), each with its comments. Five queries at most,
 * whatever the number of replies.
 */
export async function getTopicPage(deps: Deps, requestedId: number, actor: Actor | null) {
  const { row, access } = await topicWithAccess(deps, requestedId, actor, {
    followMerge: true,
    read: (topicId: number) => q.findTopicPage(deps.db, topicId, actor?.id ?? -1),
  });
  const { following, expectation, source, facts } = row;
  const id = row.id;
  const [allReplies, allComments, votes] = await Promise.all([
    q.listReplies(deps.db, id),
    q.listCommentsOfTopic(deps.db, id),
    actor ? q.viewerVotes(deps.db, actor.id, id) : new Map<string, number>(),
  ]);
  const replies = allReplies.filter((r) => canSeePost(access, r));
  const comments = allComments.filter((c) => canSeePost(access, c));
  const abilities: TopicAbilities = topicAbilities(access, row);
  // Comments on the question itself are filed under 0 (no reply has that id).
  const commentsByReply = new Map<number, PublicComment[]>();
  for (const c of comments) {
    const list = commentsByReply.get(c.replyId ?? 0) ?? [];
    list.push({
      id: c.id,
      author: authorOf(c, access),
      body: c.body,
      bodyHtml: c.bodyHtml,
      createdAt: iso(c.createdAt)!,
      moderationState: c.moderationState,
    });
    commentsByReply.set(c.replyId ?? 0, list);
  }
  const publicReplies: PublicReply[] = replies.map((r) => ({
    id: r.id,
    topicId: r.topicId,
    author: authorOf(r, access),
    moderationState: r.moderationState,
    body: r.body,
    bodyHtml: r.bodyHtml,
    score: r.score,
    official: Boolean(r.official),
    accepted: r.id === row.acceptedReplyId,
    createdAt: iso(r.createdAt)!,
    editedAt: iso(r.editedAt),
    myVote: votes.get(`reply:${r.id}`) ?? 0,
    abilities: replyAbilities(access, row, abilities, r),
    comments: commentsByReply.get(r.id) ?? [],
    mergedFromTopicId: r.mergedFromTopicId,
  }));
  publicReplies.sort(
    (a, b) =>
      Number(b.accepted) - Number(a.accepted) ||
      Number(b.official) - Number(a.official) ||
      b.score - a.score ||
      a.createdAt.localeCompare(b.createdAt) ||
      a.id - b.id,
  );
  const topic = toPublicTopic(row, access.community, access);
  const topicComments = commentsByReply.get(0) ?? [];
  await linkPostMentions(deps, access.community, [
    topic,
    ...topicComments,
    ...publicReplies,
    ...publicReplies.flatMap((r) => r.comments),
  ]);
  return {
    access,
    /** expectation: what the category tells askers to expect ("The community usually answers within 4 hours"). */
    topic: {
      ...topic,
      myVote: votes.get(`topic:${id}`) ?? 0,
      following,
      abilities,
      /** Comments on the question itself, oldest first. */
      comments: topicComments,
      expectation,
      /** Where an imported topic came from: {type: "stackexchange", site, id, url}; null for topics posted here. */
      source,
    },
    replies: publicReplies,
    /** What other domains' panels need to know first (topics.facts.ts), by name. */
    facts,
  };
}

export type TopicPageData = Awaited<ReturnType<typeof getTopicPage>>;

/**
 * @mentions of the community's members in the posts of a page become links to their profiles, with
 * one lookup for every handle of the page (none when nobody is mentioned). The posts are the page's
 * own copies: their bodyHtml is rewritten in place.
 */
async function linkPostMentions(deps: Deps, community: Community, posts: { bodyHtml: string }[]): Promise<void> {
  const handles = [...new Set(posts.flatMap((p) => mentionsIn(p.bodyHtml)))];
  if (handles.length === 0) return;
  const members = await q.membersByHandle(deps.db, community.id, handles);
  const hrefs = new Map(members.map((m) => [m.handle, `/c/${community.slug}/u/${m.id}`]));
  for (const post of posts) post.bodyHtml = linkMentions(post.bodyHtml, hrefs);
}

/** Every version of a topic or reply, oldest first; an unedited post has just its current version. */
export async function getHistory(
  deps: Deps,
  targetType: VoteTarget,
  current: {
    id: number;
    authorId: number;
    authorName: string;
    title?: string;
    body: string;
    tags?: string;
    createdAt: number;
  },
) {
  const revisions = await q.listRevisions(deps.db, targetType, current.id);
  const versions = revisions.length
    ? revisions.map((r) => ({
        title: r.redactedAt === null ? r.title : REDACTED,
        body: r.redactedAt === null ? r.body : REDACTED,
        tags: r.tags,
        editor: { id: r.editorId, name: r.editorName },
        createdAt: r.createdAt,
        redactedAt: r.redactedAt,
      }))
    : [
        {
          title: current.title ?? null,
          body: current.body,
          tags: current.tags ?? null,
          editor: { id: current.authorId, name: current.authorName },
          createdAt: current.createdAt,
          redactedAt: null,
        },
      ];
  return versions.map((v, index) => ({
    version: index + 1,
    ...(targetType === "topic" ? { title: v.title, tags: v.tags ? (JSON.parse(v.tags) as string[]) : [] } : {}),
    body: v.body,
    editor: v.editor,
    createdAt: iso(v.createdAt)!,
    /** When a moderator erased this version's title, text and tags (they read "[redacted]"); null if never. */
    redactedAt: iso(v.redactedAt),
  }));
}

export async function getReplyHistory(deps: Deps, id: number, actor: Actor | null) {
  const reply = await q.findReply(deps.db, id);
  if (!reply) throw notFound("Reply");
  const { access } = await topicWithAccess(deps, reply.topicId, actor);
  if (!canSeePost(access, reply)) throw notFound("Reply");
  const author = await deps.db
    .selectFrom("users")
    .select("name")
    .where("id", "=", reply.authorId)
    .executeTakeFirstOrThrow();
  return getHistory(deps, "reply", { ...reply, authorName: author.name });
}

/** A reply with its topic and the viewer's abilities on it: reply pages and actions link back to the topic. */
export async function replyContext(deps: Deps, replyId: number, actor: Actor | null) {
  const reply = await q.findReply(deps.db, replyId);
  if (!reply) throw notFound("Reply");
  const { row, access } = await topicWithAccess(deps, reply.topicId, actor);
  // The edit page fills its form with the body: a hidden or deleted reply is as unknown here as in the API.
  if (!canSeePost(access, reply)) throw notFound("Reply");
  const topic = toPublicTopic(row, access.community);
  return { reply, topic, access, abilities: replyAbilities(access, row, topicAbilities(access, row), reply) };
}

/** A reply by id, for other domains reacting to topic events; the caller checks visibility. */
export async function replyById(deps: Pick<Deps, "db">, id: number) {
  return q.findReply(deps.db, id);
}

/**
 * What a subscriber of a topic event tells people: the topic's title and address, the post's
 * text (the topic's, a reply's or a comment's) and its author's name; undefined once it is gone.
 */
export async function eventSubject(
  deps: Pick<Deps, "db">,
  e: { topicId: number; replyId?: number | null; commentId?: number | null; authorId: number },
) {
  const row = await q.eventSubject(deps.db, e);
  if (!row) return undefined;
  const anchor = e.replyId != null ? `#reply-${e.replyId}` : e.commentId != null ? `#comment-${e.commentId}` : "";
  return {
    topic: { id: row.id, title: row.title, authorId: row.authorId, communityId: row.communityId },
    /** The canonical address: emails and notifications open the topic without a redirect. */
    url: topicPath(row.slug, row.id, row.title) + anchor,
    body: row.body ?? "",
    authorName: row.authorName ?? "",
    /** The author of the reply the event is about (a comment's or an accepted reply's), if any. */
    replyAuthorId: row.replyAuthorId ?? null,
    /** False for a comment under a reply that was hidden: only its author and reviewers read it. */
    replyVisible: row.replyState == null || row.replyState === "visible",
  };
}
