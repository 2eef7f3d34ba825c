import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import type { Tx } from "../core/transaction.ts";
import type { IdeaStatus } from "../db/schema.ts";
import { visibleTopicsSql, type TopicViewer } from "../topics/index.ts";

/** The status of an idea's row under `topics`: no row means "new". */
const statusOf = sql<IdeaStatus>`coalesce(idea_statuses.status, 'new')`;

export interface IdeaFilter {
  communityId: number;
  viewer: TopicViewer;
  /** Whether the viewer sees champions-only categories. */
  championsCategories: boolean;
  categoryId?: number;
}

/** Visible ideas of a community (never hidden, held or merged ones), with their status. */
function visibleIdeas(db: Db, filter: IdeaFilter) {
  let query = db
    .selectFrom("topics")
    .leftJoin("ideaStatuses", "ideaStatuses.topicId", "topics.id")
    .leftJoin("categories", "categories.id", "topics.categoryId")
    .where("topics.communityId", "=", filter.communityId)
    .where("topics.kind", "=", "idea")
    .where("topics.moderationState", "=", "visible")
    .where(visibleTopicsSql(filter.viewer));
  if (!filter.championsCategories)
    query = query.where((eb) =>
      eb.or([eb("categories.championsOnly", "is", null), eb("categories.championsOnly", "=", 0)]),
    );
  if (filter.categoryId !== undefined) query = query.where("topics.categoryId", "=", filter.categoryId);
  return query;
}

/** What the board sorts by, highest first (then the newest id): net votes, or the latest change or posting. */
const sortKeyOf = (sort: "votes" | "recent") =>
  sort === "votes" ? sql<number>`topics.score` : sql<number>`coalesce(idea_statuses.changed_at, topics.created_at)`;

/**
 * Ideas in board order, in one query: at most `limit` in EACH status (with `status`, of that one),
 * after the first `offset` of each, so a status whose ideas have fewer votes still has its first
 * ones, whatever the other statuses hold.
 */
export async function listIdeas(
  db: Db,
  filter: IdeaFilter & { status?: IdeaStatus; sort: "votes" | "recent"; limit: number; offset: number },
) {
  const sortKey = sortKeyOf(filter.sort);
  let ranked = visibleIdeas(db, filter).select([
    "topics.id",
    statusOf.as("status"),
    "ideaStatuses.changedAt as statusChangedAt",
    sortKey.as("sortKey"),
    sql<number>`row_number() over (partition by ${statusOf} order by ${sortKey} desc, topics.id desc)`.as("rank"),
  ]);
  if (filter.status) ranked = ranked.where(statusOf, "=", filter.status);
  return db
    .selectFrom(ranked.as("ranked"))
    .select(["id", "status", "statusChangedAt"])
    .where("rank", ">", filter.offset)
    .where("rank", "<=", filter.offset + filter.limit)
    .orderBy("sortKey", "desc")
    .orderBy("id", "desc")
    .execute();
}

/** How many visible ideas are in each status (with the same category filter). */
export async function countIdeas(db: Db, filter: IdeaFilter): Promise<Map<IdeaStatus, number>> {
  const rows = await visibleIdeas(db, filter)
    .select([statusOf.as("status"), (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy(statusOf)
    .execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

/** A category of the community by id or slug (an id wins), with what decides who may see it. */
export function categoryOf(db: Db, communityId: number, category: string) {
  const id = /^\d{1,9}$/.test(category) ? Number(category) : -1;
  return db
    .selectFrom("categories")
    .select(["id", "championsOnly"])
    .where("communityId", "=", communityId)
    .where((eb) => eb.or([eb("id", "=", id), eb("slug", "=", category.toLowerCase())]))
    .orderBy((eb) => eb.case().when("id", "=", id).then(0).else(1).end())
    .executeTakeFirst();
}

export async function currentStatus(db: Db, topicId: number): Promise<IdeaStatus> {
  const row = await db.selectFrom("ideaStatuses").select("status").where("topicId", "=", topicId).executeTakeFirst();
  return row?.status ?? "new";
}

/** An idea's latest status change, its id and note (undefined: it never had one). */
export function latestChange(db: Db, topicId: number): Promise<{ id: number; note: string | null } | undefined> {
  return db
    .selectFrom("ideaStatusChanges")
    .select(["id", "note"])
    .where("topicId", "=", topicId)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** An idea's status changes, oldest first, with the staff member's name. */
export function timeline(db: Db, topicId: number) {
  return db
    .selectFrom("ideaStatusChanges")
    .innerJoin("users", "users.id", "ideaStatusChanges.staffId")
    .select([
      "ideaStatusChanges.id",
      "ideaStatusChanges.status",
      "ideaStatusChanges.note",
      "ideaStatusChanges.createdAt",
      "users.id as staffId",
      "users.name as staffName",
    ])
    .where("ideaStatusChanges.topicId", "=", topicId)
    .orderBy("ideaStatusChanges.id")
    .execute();
}

/** Records a change and makes it the idea's current status. */
export async function recordChange(
  tx: Tx,
  change: { topicId: number; communityId: number; status: IdeaStatus; note: string | null; staffId: number },
): Promise<number> {
  const now = tx.clock.now();
  await tx.db
    .insertInto("ideaStatuses")
    .values({ topicId: change.topicId, communityId: change.communityId, status: change.status, changedAt: now })
    .onConflict((oc) => oc.column("topicId").doUpdateSet({ status: change.status, changedAt: now }))
    .execute();
  const row = await tx.db
    .insertInto("ideaStatusChanges")
    .values({ ...change, createdAt: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A change with what its notification and feed entry say. */
export function changeById(db: Db, id: number) {
  return db
    .selectFrom("ideaStatusChanges")
    .innerJoin("topics", "topics.id", "ideaStatusChanges.topicId")
    .innerJoin("communities", "communities.id", "ideaStatusChanges.communityId")
    .innerJoin("users", "users.id", "ideaStatusChanges.staffId")
    .select([
      "ideaStatusChanges.id",
      "ideaStatusChanges.status",
      "ideaStatusChanges.note",
      "ideaStatusChanges.staffId",
      "users.name as staffName",
      "topics.id as topicId",
      "topics.title",
      "topics.authorId",
      "communities.slug",
    ])
    .where("ideaStatusChanges.id", "=", id)
    .executeTakeFirst();
}

/** Who voted an idea up: they hear of its progress. */
export async function upvoters(db: Db, topicId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("votes")
    .select("userId")
    .where("targetType", "=", "topic")
    .where("targetId", "=", topicId)
    .where("value", ">", 0)
    .execute();
  return rows.map((r) => r.userId);
}

/** The latest status changes of visible ideas, newest first, for the feed. */
export function recentChanges(db: Db, filter: IdeaFilter, limit: number) {
  return visibleIdeas(db, filter)
    .innerJoin("ideaStatusChanges", "ideaStatusChanges.topicId", "topics.id")
    .innerJoin("users", "users.id", "ideaStatusChanges.staffId")
    .select([
      "ideaStatusChanges.id",
      "ideaStatusChanges.status",
      "ideaStatusChanges.note",
      "ideaStatusChanges.createdAt",
      "users.name as staffName",
      "topics.id as topicId",
      "topics.title",
    ])
    .orderBy("ideaStatusChanges.id", "desc")
    .limit(limit)
    .execute();
}

/** For each visible idea that reached "done": when it was posted and when it first became done. */
export function doneTimes(db: Db, filter: IdeaFilter) {
  return visibleIdeas(db, filter)
    .innerJoin("ideaStatusChanges", "ideaStatusChanges.topicId", "topics.id")
    .where("ideaStatusChanges.status", "=", "done")
    .select(["topics.id", "topics.createdAt", (eb) => eb.fn.min("ideaStatusChanges.createdAt").as("doneAt")])
    .groupBy(["topics.id", "topics.createdAt"])
    .execute();
}
