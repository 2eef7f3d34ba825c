import { sql, type ExpressionBuilder } from "kysely";
import type { Db } from "../db/database.ts";
import { idIn } from "../db/id-list.ts";
import { executeNamed, prepared, preparedFirst } from "../db/prepared.ts";
import type { Database, Role, TopicKind, VoteTarget } from "../db/schema.ts";
import type { TopicSort, TopicStatus } from "./topics.schema.ts";
import { topicFacts } from "./topics.facts.ts";
import { hasStatus } from "./topics.status.ts";
import { visibleTopicsSql, type TopicViewer } from "./topics.visibility.ts";

/** Columns of a topic as lists and pages show it: the row, its author and its category. */
function topicSelect(db: Db) {
  return db
    .selectFrom("topics")
    .innerJoin("users as author", "author.id", "topics.authorId")
    .leftJoin("categories", "categories.id", "topics.categoryId")
    .leftJoin("reputation as authorRep", (j) =>
      j.onRef("authorRep.userId", "=", "topics.authorId").onRef("authorRep.communityId", "=", "topics.communityId"),
    )
    .leftJoin("memberships as authorMember", (j) =>
      j
        .onRef("authorMember.userId", "=", "topics.authorId")
        .onRef("authorMember.communityId", "=", "topics.communityId"),
    )
    .leftJoin("topicViews", "topicViews.topicId", "topics.id")
    .select([
      "topics.id",
      "topics.communityId",
      "topics.categoryId",
      "topics.authorId",
      "topics.kind",
      "topics.title",
      "topics.body",
      "topics.bodyHtml",
      "topics.tags",
      "topics.score",
      "topics.replyCount",
      "topics.answerCount",
      "topics.followerCount",
      "topics.acceptedReplyId",
      "topics.createdAt",
      "topics.lastActivityAt",
      "topics.editedAt",
      "topics.escalatedAt",
      "topics.abandonedAt",
      "author.name as authorName",
      "author.handle as authorHandle",
      "author.avatarKey as authorAvatarKey",
      "categories.slug as categorySlug",
      "categories.name as categoryName",
      "categories.scope as categoryScope",
      "categories.championsOnly as categoryChampionsOnly",
      "topics.moderationState",
      "topics.locked",
      "topics.mergedIntoId",
      "authorRep.kudos as authorKudos",
      "authorRep.championSince as authorChampionSince",
      "authorMember.suspendedUntil as authorSuspendedUntil",
      "authorMember.role as authorRole",
      "topicViews.viewCount",
    ]);
}

export type TopicRow = Awaited<ReturnType<ReturnType<typeof topicSelect>["executeTakeFirstOrThrow"]>>;

const SORT_COLUMN = {
  newest: "topics.createdAt",
  activity: "topics.lastActivityAt",
  votes: "topics.score",
} as const;

export interface TopicListFilter {
  communityId: number;
  /** Who is looking: private topics are left out for everyone but their asker and staff. */
  viewer: TopicViewer;
  kind?: TopicKind;
  categoryId?: number;
  tag?: string;
  status?: TopicStatus;
  sort: TopicSort;
  /** Keyset position: the sort value and id of the last row of the previous page. */
  after?: { value: number; id: number };
  limit: number;
}

/** One page of a community's topics in a single query, keyset-paginated on (sort column, id). */
export async function listTopics(db: Db, filter: TopicListFilter): Promise<TopicRow[]> {
  const column = SORT_COLUMN[filter.sort];
  let query = topicSelect(db)
    .where("topics.communityId", "=", filter.communityId)
    .where(visibleTopicsSql(filter.viewer))
    // Lists show published topics only: held and hidden ones are reached from the review queue.
    .where("topics.moderationState", "=", "visible");
  if (filter.kind) query = query.where("topics.kind", "=", filter.kind);
  if (filter.categoryId) query = query.where("topics.categoryId", "=", filter.categoryId);
  if (filter.tag) {
    const tag = filter.tag;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("topicTags")
          .select("topicTags.topicId")
          .whereRef("topicTags.topicId", "=", "topics.id")
          .where("topicTags.communityId", "=", filter.communityId)
          .where("topicTags.tag", "=", tag),
      ),
    );
  }
  if (filter.status) query = query.where(hasStatus("topics", filter.status));
  if (filter.after) {
    const { value, id } = filter.after;
    query = query.where((eb) => eb(eb.refTuple(column, "topics.id"), "<", eb.tuple(value, id)));
  }
  // Its joins cost PostgreSQL 4 ms to plan and 0.25 ms to run: sent as a named statement, with the
  // page size written in (a validated integer), without which PostgreSQL finds the plan for any
  // limit dearer than planning each call and never keeps one.
  const limit = sql.lit(Math.trunc(filter.limit));
  return executeNamed(db, query.orderBy(column, "desc").orderBy("topics.id", "desc").limit(limit));
}

/**
 * The last published reply of each topic with its author, in one query for a whole page of a list
 * (the latest by id among the topic's visible replies). A question merged in is another asking, not
 * a reply, and keeps its own older date though its row is newer: it is left out.
 */
export async function lastReplies(db: Db, topicIds: readonly number[]) {
  if (topicIds.length === 0) return [];
  const query = db
    .selectFrom("replies")
    .innerJoin("users", "users.id", "replies.authorId")
    .select([
      "replies.topicId",
      "replies.createdAt",
      "users.id as authorId",
      "users.name as authorName",
      "users.avatarKey as authorAvatarKey",
    ])
    .where("replies.id", "in", (eb) =>
      eb
        .selectFrom("replies as latest")
        .select((e) => e.fn.max("latest.id").as("id"))
        .where(idIn(db, "latest.topicId", topicIds))
        .where("latest.moderationState", "=", "visible")
        .where("latest.mergedFromTopicId", "is", null)
        .groupBy("latest.topicId"),
    );
  return executeNamed(db, query);
}

export function sortValue(row: TopicRow, sort: TopicSort): number {
  return sort === "newest" ? row.createdAt : sort === "activity" ? row.lastActivityAt : row.score;
}

// The topic page's queries run on every view a cache cannot answer: compiled once (db/prepared.ts).
const topicById = preparedFirst((db, v: { id: number }) => topicSelect(db).where("topics.id", "=", v.id));

export async function findTopic(db: Db, id: number): Promise<TopicRow | undefined> {
  return topicById(db, { id });
}

/** Several topics in one query, in no particular order. */
export async function findTopics(db: Db, ids: number[]): Promise<TopicRow[]> {
  return ids.length ? executeNamed(db, topicSelect(db).where(idIn(db, "topics.id", ids))) : [];
}

export async function listReplies(db: Db, topicId: number) {
  return repliesOfTopic(db, { topicId });
}

const repliesOfTopic = prepared((db, v: { topicId: number }) =>
  db
    .selectFrom("replies")
    .innerJoin("users as author", "author.id", "replies.authorId")
    .innerJoin("topics", "topics.id", "replies.topicId")
    .leftJoin("reputation as authorRep", (j) =>
      j.onRef("authorRep.userId", "=", "replies.authorId").onRef("authorRep.communityId", "=", "topics.communityId"),
    )
    .leftJoin("memberships as authorMember", (j) =>
      j
        .onRef("authorMember.userId", "=", "replies.authorId")
        .onRef("authorMember.communityId", "=", "topics.communityId"),
    )
    .select([
      "replies.id",
      "replies.topicId",
      "replies.authorId",
      "replies.body",
      "replies.bodyHtml",
      "replies.official",
      "replies.score",
      "replies.createdAt",
      "replies.editedAt",
      "replies.moderationState",
      "replies.mergedFromTopicId",
      "author.name as authorName",
      "author.handle as authorHandle",
      "author.avatarKey as authorAvatarKey",
      "authorRep.kudos as authorKudos",
      "authorRep.championSince as authorChampionSince",
      "authorMember.suspendedUntil as authorSuspendedUntil",
      "authorMember.role as authorRole",
    ])
    .where("replies.topicId", "=", v.topicId)
    .orderBy("replies.createdAt")
    .orderBy("replies.id"),
);

export type ReplyRow = Awaited<ReturnType<typeof listReplies>>[number];

/**
 * The topic a comment belongs to, in a query over `comments` left-joined to `replies` (on
 * comments.reply_id): its own topic_id for a comment on the question, its reply's topic otherwise.
 */
export const commentTopicIdSql = sql<number>`coalesce(comments.topic_id, replies.topic_id)`;

/**
 * For a query over `topics` joined to `replies`: the replies that answer the topic, visible and by
 * someone other than the asker, and not a merged topic's question (another asking, not an answer).
 */
export const answersTopic = (eb: ExpressionBuilder<Database, "topics" | "replies">) =>
  eb.and([
    eb("replies.topicId", "=", eb.ref("topics.id")),
    eb("replies.authorId", "!=", eb.ref("topics.authorId")),
    eb("replies.moderationState", "=", "visible"),
    eb("replies.mergedFromTopicId", "is", null),
  ]);

/** For a query or an update over `topics`: how many replies answer it, which its `answerCount` keeps. */
export const answerCountOf = (eb: ExpressionBuilder<Database, "topics">) =>
  eb
    .selectFrom("replies")
    .select((r) => r.fn.countAll<number>().as("n"))
    .where(answersTopic);

/**
 * For a query over `topics`: when its first answer came (null while none). Routing statistics,
 * insights and category expectations share it.
 */
export const firstAnswerAt = (eb: ExpressionBuilder<Database, "topics">) =>
  eb
    .selectFrom("replies")
    .select((r) => r.fn.min("replies.createdAt").as("first"))
    .where(answersTopic)
    .as("firstAnswerAt");

/**
 * How long a question waited for its first answer (firstAnswerAt), in ms; null while it has none.
 * An answer older than the question (a reply that came with a duplicate merged into it) was there
 * when it was asked: 0, not a negative wait.
 */
export const firstAnswerWait = (createdAt: number, firstAnswerAt: number | null): number | null =>
  firstAnswerAt === null ? null : Math.max(0, firstAnswerAt - createdAt);

/**
 * A comment belongs to the topic: on the question itself (its topic_id) or on one of its replies; two
 * index lookups (comments_topic; replies_topic then comments_reply), whatever the number of comments
 * elsewhere. Written as one id list rather than `topic_id = ? or reply_id in (...)`: PostgreSQL
 * cannot serve that `or` from the indexes and read every comment of the site instead.
 */
export const commentInTopic = (topicId: number) => (eb: ExpressionBuilder<Database, "comments">) =>
  eb(
    "comments.id",
    "in",
    eb
      .selectFrom("comments as onQuestion")
      .select("onQuestion.id")
      .where("onQuestion.topicId", "=", topicId)
      .unionAll(
        eb
          .selectFrom("comments as onReply")
          .innerJoin("replies", "replies.id", "onReply.replyId")
          .select("onReply.id")
          .where("replies.topicId", "=", topicId),
      ),
  );

/**
 * All comments of a topic: on the question itself (replyId null) and on its replies, in one query
 * of two index lookups (comments_topic, comments_reply), whatever the number of comments elsewhere.
 */
export async function listCommentsOfTopic(db: Db, topicId: number) {
  return commentsOfTopic(db, { topicId });
}

const commentsOfTopic = prepared((db, v: { topicId: number }) =>
  db
    .selectFrom("comments")
    .innerJoin("topics", (j) => j.on("topics.id", "=", v.topicId))
    .innerJoin("users as author", "author.id", "comments.authorId")
    .leftJoin("reputation as authorRep", (j) =>
      j.onRef("authorRep.userId", "=", "comments.authorId").onRef("authorRep.communityId", "=", "topics.communityId"),
    )
    .leftJoin("memberships as authorMember", (j) =>
      j
        .onRef("authorMember.userId", "=", "comments.authorId")
        .onRef("authorMember.communityId", "=", "topics.communityId"),
    )
    .select([
      "comments.id",
      "comments.replyId",
      "comments.authorId",
      "comments.body",
      "comments.bodyHtml",
      "comments.createdAt",
      "comments.moderationState",
      "author.name as authorName",
      "author.handle as authorHandle",
      "author.avatarKey as authorAvatarKey",
      "authorRep.kudos as authorKudos",
      "authorRep.championSince as authorChampionSince",
      "authorMember.suspendedUntil as authorSuspendedUntil",
      "authorMember.role as authorRole",
    ])
    .where(commentInTopic(v.topicId))
    .orderBy("comments.createdAt")
    .orderBy("comments.id"),
);

export type CommentRow = Awaited<ReturnType<typeof listCommentsOfTopic>>[number];

/** The viewer's votes on a topic and its replies, keyed "topic:1" / "reply:7". */
export async function viewerVotes(db: Db, userId: number, topicId: number): Promise<Map<string, number>> {
  const rows = await votesInTopic(db, { userId, topicId });
  return new Map(rows.map((r) => [`${r.targetType}:${r.targetId}`, r.value]));
}

// The vote on the topic, then one on each of its replies: primary-key lookups (votes_pk). As one
// `or` of the two, PostgreSQL read every vote the member ever cast (0.9 ms for 800 votes). The
// cross join keeps SQLite's order, replies first (an inner join read the member's reply votes);
// PostgreSQL plans it as any join.
const votesInTopic = prepared((db, { userId, topicId }: { userId: number; topicId: number }) =>
  db
    .selectFrom("votes")
    .select(["votes.targetType", "votes.targetId", "votes.value"])
    .where("votes.userId", "=", userId)
    .where("votes.targetType", "=", "topic")
    .where("votes.targetId", "=", topicId)
    .unionAll(
      db
        .selectFrom("replies")
        .crossJoin("votes")
        .select(["votes.targetType", "votes.targetId", "votes.value"])
        .where("replies.topicId", "=", topicId)
        .where("votes.userId", "=", userId)
        .where("votes.targetType", "=", "reply")
        .whereRef("votes.targetId", "=", "replies.id"),
    ),
);

/**
 * The topic as its page shows it, in one query: the row (topicSelect) and beside it its category's
 * expectation ("" without one), whether the viewer follows it (viewerId -1: nobody), where an
 * imported topic came from (the licence of e.g. Stack Exchange asks to link there; null for ours),
 * and the facts other domains installed (topics.facts.ts), by name (null: nothing of the kind).
 */
export async function findTopicPage(db: Db, id: number, viewerId: number) {
  const row = await topicPageOf(db, { id, viewerId });
  if (!row) return undefined;
  const { expectation, following, sourceType, sourceSite, sourceId, sourceUrl } = row;
  // The facts' names are known only once installed: their columns are read by name.
  const columns: Record<string, unknown> = row;
  // Completed in place rather than copied: a row of some fifty columns is a dictionary-mode object
  // in V8, and copying one with rest and spread cost about 30 µs, a percent of the page.
  return Object.assign(row, {
    facts: Object.fromEntries(topicFacts().map(({ name }) => [name, columns[name] ?? null])) as Readonly<
      Record<string, unknown>
    >,
    expectation: expectation ?? "",
    following: Boolean(following),
    source: sourceType != null ? { type: sourceType, site: sourceSite!, id: sourceId!, url: sourceUrl! } : null,
  });
}

const topicPageOf = preparedFirst((db, v: { id: number; viewerId: number }) =>
  topicSelect(db)
    .leftJoin("topicSources", "topicSources.topicId", "topics.id")
    .select((eb) => [
      "categories.expectation",
      eb
        .exists(
          eb
            .selectFrom("follows")
            .select("follows.userId")
            .whereRef("follows.topicId", "=", "topics.id")
            .where("follows.userId", "=", v.viewerId),
        )
        .as("following"),
      "topicSources.type as sourceType",
      "topicSources.site as sourceSite",
      "topicSources.externalId as sourceId",
      "topicSources.url as sourceUrl",
      ...topicFacts().map((fact) => fact.select(eb).as(fact.name)),
    ])
    .where("topics.id", "=", v.id),
);

/** A reply with what permission checks need: its topic's community and author. */
export async function findReply(db: Db, id: number) {
  return db
    .selectFrom("replies")
    .innerJoin("topics", "topics.id", "replies.topicId")
    .select([
      "replies.id",
      "replies.topicId",
      "replies.authorId",
      "replies.body",
      "replies.createdAt",
      "replies.editedAt",
      "replies.official",
      "replies.moderationState",
      "replies.mergedFromTopicId",
      "topics.communityId",
    ])
    .where("replies.id", "=", id)
    .executeTakeFirst();
}

export async function listRevisions(db: Db, targetType: VoteTarget, targetId: number) {
  return db
    .selectFrom("revisions")
    .innerJoin("users as editor", "editor.id", "revisions.editorId")
    .select([
      "revisions.id",
      "revisions.title",
      "revisions.body",
      "revisions.tags",
      "revisions.createdAt",
      "revisions.editorId",
      "revisions.redactedAt",
      "editor.name as editorName",
    ])
    .where("revisions.targetType", "=", targetType)
    .where("revisions.targetId", "=", targetId)
    .orderBy("revisions.id")
    .execute();
}

export async function memberRoles(db: Db, communityId: number, userIds: number[]): Promise<Map<number, Role>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("memberships")
    .select(["userId", "role"])
    .where("communityId", "=", communityId)
    .where("userId", "in", userIds)
    .execute();
  return new Map(rows.map((r) => [r.userId, r.role]));
}

/** What subscribers of topic events show: the topic's title and address, the post's text and author's name. */
export async function eventSubject(
  db: Db,
  e: { topicId: number; replyId?: number | null; commentId?: number | null; authorId: number },
) {
  const post =
    e.commentId != null
      ? db.selectFrom("comments").select("body").where("id", "=", e.commentId)
      : e.replyId != null
        ? db.selectFrom("replies").select("body").where("id", "=", e.replyId)
        : db.selectFrom("topics").select("body").where("id", "=", e.topicId);
  return db
    .selectFrom("topics")
    .innerJoin("communities", "communities.id", "topics.communityId")
    .leftJoin("replies as eventReply", (join) => join.on("eventReply.id", "=", e.replyId ?? -1))
    .select([
      "topics.id",
      "topics.title",
      "topics.authorId",
      "topics.communityId",
      "communities.slug",
      (eb) => eb.selectFrom("users").select("name").where("id", "=", e.authorId).as("authorName"),
      post.as("body"),
      "eventReply.authorId as replyAuthorId",
      "eventReply.moderationState as replyState",
    ])
    .where("topics.id", "=", e.topicId)
    .executeTakeFirst();
}

/** The community's members (not deleted) among some handles: who @mentions in its posts may link to. */
export function membersByHandle(db: Db, communityId: number, handles: readonly string[]) {
  return db
    .selectFrom("users")
    .innerJoin("memberships", "memberships.userId", "users.id")
    .select(["users.id", "users.handle"])
    .where("users.handle", "in", handles)
    .where("memberships.communityId", "=", communityId)
    .where("users.deletedAt", "is", null)
    .execute();
}
