import type { Actor, Deps } from "../http/context.ts";
import { accessById } from "../communities/communities.service.ts";
import { canView, type CommunityAccess } from "../communities/privileges.ts";
import type { Community, VoteTarget } from "../db/schema.ts";
import { notFound, validationFailed } from "../lib/errors.ts";
import { LIMITS } from "../config.ts";
import * as q from "./topics.queries.ts";
import { replyAbilities, topicAbilities, type ReplyAbilities, type TopicAbilities } from "./topics.policy.ts";
import type { ListTopicsInput, TopicSort, TopicStatus } from "./topics.schema.ts";

export function topicStatus(row: { acceptedReplyId: number | null; replyCount: number }): TopicStatus {
  if (row.acceptedReplyId !== null) return "solved";
  return row.replyCount > 0 ? "answered" : "open";
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toPublicTopic(row: q.TopicRow, community: Pick<Community, "slug">) {
  return {
    id: row.id,
    communityId: row.communityId,
    community: community.slug,
    categoryId: row.categoryId,
    category: row.categoryId ? { id: row.categoryId, slug: row.categorySlug!, name: row.categoryName! } : null,
    kind: row.kind,
    title: row.title,
    body: row.body,
    bodyHtml: row.bodyHtml,
    tags: JSON.parse(row.tags) as string[],
    author: { id: row.authorId, name: row.authorName },
    score: row.score,
    replyCount: row.replyCount,
    followerCount: row.followerCount,
    status: topicStatus(row),
    acceptedReplyId: row.acceptedReplyId,
    createdAt: iso(row.createdAt)!,
    lastActivityAt: iso(row.lastActivityAt)!,
    editedAt: iso(row.editedAt),
    url: `/c/${community.slug}/t/${row.id}`,
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
    const valid = Number.isInteger(value) && Math.abs(value) <= valueMax && Number.isInteger(id) && id > 0 && id <= LIMITS.idMax;
    if (valid) return { value, id };
  } catch {
    // fall through to the validation error
  }
  throw validationFailed({ cursor: "Invalid cursor." });
}

/** Resolves a category given by id or slug within the community; a slug may be all digits ("2025"). */
async function categoryIdFor(deps: Deps, communityId: number, category: string): Promise<number> {
  const slug = category.toLowerCase();
  const id = /^\d{1,10}$/.test(category) && Number(category) <= LIMITS.idMax ? Number(category) : null;
  const query = deps.db.selectFrom("categories").select("id").where("communityId", "=", communityId);
  const row = await (id === null
    ? query.where("slug", "=", slug)
    : // An id wins over another category's slug spelled like it.
      query.where((eb) => eb.or([eb("id", "=", id), eb("slug", "=", slug)])).orderBy((eb) => eb.case().when("id", "=", id).then(0).else(1).end())
  ).executeTakeFirst();
  if (!row) throw validationFailed({ category: "Unknown category." });
  return row.id;
}

export async function listTopics(deps: Deps, access: CommunityAccess, input: ListTopicsInput) {
  const rows = await q.listTopics(deps.db, {
    communityId: access.community.id,
    kind: input.kind,
    categoryId: input.category ? await categoryIdFor(deps, access.community.id, input.category) : undefined,
    tag: input.tag,
    status: input.status,
    sort: input.sort,
    after: input.cursor ? decodeCursor(input.cursor, input.sort) : undefined,
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    topics: page.map((row) => toPublicTopic(row, access.community)),
    nextCursor: rows.length > input.limit && last ? encodeCursor(q.sortValue(last, input.sort), last.id) : null,
  };
}

/** Loads a topic and the viewer's access to its community; "not found" when the viewer may not see it. */
export async function topicWithAccess(deps: Deps, id: number, actor: Actor | null) {
  const row = await q.findTopic(deps.db, id);
  if (!row) throw notFound("Topic");
  const access = await accessById(deps, row.communityId, actor);
  if (!canView(access)) throw notFound("Topic");
  return { row, access };
}

export interface PublicReply {
  id: number;
  topicId: number;
  author: { id: number; name: string };
  body: string;
  bodyHtml: string;
  score: number;
  official: boolean;
  accepted: boolean;
  createdAt: string;
  editedAt: string | null;
  myVote: number;
  abilities: ReplyAbilities;
  comments: { id: number; author: { id: number; name: string }; body: string; bodyHtml: string; createdAt: string }[];
}

/**
 * A topic page: the topic and its replies in display order (accepted solution, then official
 * replies, then by score, oldest first among equals), each with its comments. Five queries at most,
 * whatever the number of replies.
 */
export async function getTopicPage(deps: Deps, id: number, actor: Actor | null) {
  const { row, access } = await topicWithAccess(deps, id, actor);
  const [replies, comments, votes, following] = await Promise.all([
    q.listReplies(deps.db, id),
    q.listCommentsOfTopic(deps.db, id),
    actor ? q.viewerVotes(deps.db, actor.id, id) : new Map<string, number>(),
    actor ? q.isFollowing(deps.db, actor.id, id) : false,
  ]);
  const abilities: TopicAbilities = topicAbilities(access, row);
  const commentsByReply = new Map<number, PublicReply["comments"]>();
  for (const c of comments) {
    const list = commentsByReply.get(c.replyId) ?? [];
    list.push({ id: c.id, author: { id: c.authorId, name: c.authorName }, body: c.body, bodyHtml: c.bodyHtml, createdAt: iso(c.createdAt)! });
    commentsByReply.set(c.replyId, list);
  }
  const publicReplies: PublicReply[] = replies.map((r) => ({
    id: r.id,
    topicId: r.topicId,
    author: { id: r.authorId, name: r.authorName },
    body: r.body,
    bodyHtml: r.bodyHtml,
    score: r.score,
    official: Boolean(r.official),
    accepted: r.id === row.acceptedReplyId,
    createdAt: iso(r.createdAt)!,
    editedAt: iso(r.editedAt),
    myVote: votes.get(`reply:${r.id}`) ?? 0,
    abilities: replyAbilities(access, abilities, r),
    comments: commentsByReply.get(r.id) ?? [],
  }));
  publicReplies.sort(
    (a, b) =>
      Number(b.accepted) - Number(a.accepted) ||
      Number(b.official) - Number(a.official) ||
      b.score - a.score ||
      a.createdAt.localeCompare(b.createdAt) ||
      a.id - b.id,
  );
  return {
    access,
    topic: { ...toPublicTopic(row, access.community), myVote: votes.get(`topic:${id}`) ?? 0, following, abilities },
    replies: publicReplies,
  };
}

/** Every version of a topic or reply, oldest first; an unedited post has just its current version. */
export async function getHistory(
  deps: Deps,
  targetType: VoteTarget,
  current: { id: number; authorId: number; authorName: string; title?: string; body: string; tags?: string; createdAt: number },
) {
  const revisions = await q.listRevisions(deps.db, targetType, current.id);
  const versions = revisions.length
    ? revisions.map((r) => ({ title: r.title, body: r.body, tags: r.tags, editor: { id: r.editorId, name: r.editorName }, createdAt: r.createdAt }))
    : [{ title: current.title ?? null, body: current.body, tags: current.tags ?? null, editor: { id: current.authorId, name: current.authorName }, createdAt: current.createdAt }];
  return versions.map((v, index) => ({
    version: index + 1,
    ...(targetType === "topic" ? { title: v.title, tags: v.tags ? (JSON.parse(v.tags) as string[]) : [] } : {}),
    body: v.body,
    editor: v.editor,
    createdAt: iso(v.createdAt)!,
  }));
}

export async function getReplyHistory(deps: Deps, id: number, actor: Actor | null) {
  const reply = await q.findReply(deps.db, id);
  if (!reply) throw notFound("Reply");
  await topicWithAccess(deps, reply.topicId, actor);
  const author = await deps.db.selectFrom("users").select("name").where("id", "=", reply.authorId).executeTakeFirstOrThrow();
  return getHistory(deps, "reply", { ...reply, authorName: author.name });
}
