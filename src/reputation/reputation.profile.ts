import { avatarUrl } from "../web/avatar.ts";
import { expressionBuilder, sql, type SelectQueryBuilder } from "kysely";
import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { Database } from "../db/schema.ts";
import { STAFF_ROLES, type CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { forbidden, notFound } from "../core/errors.ts";
import { badgesOf } from "./reputation.badges.ts";
import { rankFor, type Rank } from "../access/trust-levels.ts";
import type { LeaderboardInput } from "./reputation.schema.ts";
import { topicViewer, type TopicViewer, visibleTopicsSql } from "../topics/index.ts";
import { certificationsOf } from "../academy/index.ts";
import { iso } from "../lib/iso-time.ts";
import { DAY_MS } from "../lib/durations.ts";

/** Profiles, leaderboards and the kudos ledger of a member: read-only views over the reputation tables. */

/** Topics a viewer may see in lists: visible, and in a champions-only category only with the privilege. */
function listedTopics(db: Db, access: CommunityAccess) {
  let query = db
    .selectFrom("topics")
    .leftJoin("categories", "categories.id", "topics.categoryId")
    .where("topics.communityId", "=", access.community.id)
    .where("topics.moderationState", "=", "visible")
    // A private topic (billing, account) shows on a profile only to its asker and staff.
    .where(visibleTopicsSql(topicViewer(access)));
  if (!can(access, "category.champions"))
    query = query.where((eb) =>
      eb.or([eb("categories.championsOnly", "is", null), eb("categories.championsOnly", "=", 0)]),
    );
  return query;
}

export async function getProfile(deps: Deps, baseAccess: CommunityAccess, userId: number) {
  const access = await baseAccess;
  const communityId = access.community.id;
  const member = await deps.db
    .selectFrom("users")
    .leftJoin("memberships", (j) =>
      j.onRef("memberships.userId", "=", "users.id").on("memberships.communityId", "=", communityId),
    )
    .leftJoin("reputation", (j) =>
      j.onRef("reputation.userId", "=", "users.id").on("reputation.communityId", "=", communityId),
    )
    .select([
      "users.id",
      "users.name",
      "users.handle",
      "users.avatarKey",
      "memberships.role",
      "memberships.createdAt",
      "memberships.suspendedUntil",
      "memberships.suspensionReason",
      "reputation.kudos",
      "reputation.balance",
      "reputation.championSince",
    ])
    .where("users.id", "=", userId)
    .executeTakeFirst();
  if (!member || (member.role == null && member.kudos == null)) throw notFound("Member");
  const kudos = Number(member.kudos ?? 0);
  const [badges, accepted, topTags, recent, certifications] = await Promise.all([
    badgesOf(deps.db, communityId, userId),
    listedTopics(deps.db, access)
      .innerJoin("replies", "replies.id", "topics.acceptedReplyId")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("replies.authorId", "=", userId)
      .whereRef("topics.authorId", "!=", "replies.authorId")
      // Nor one its author accepted (staff may accept their own reply to someone else's question).
      .where((eb) =>
        eb.or([eb("topics.acceptedBy", "is", null), eb("topics.acceptedBy", "!=", eb.ref("replies.authorId"))]),
      )
      // As the accepted-answer badges count them: a reply a moderator hid since is no accepted answer here.
      .where("replies.moderationState", "=", "visible")
      .executeTakeFirstOrThrow(),
    listedTopics(deps.db, access)
      .innerJoin("replies", "replies.topicId", "topics.id")
      .innerJoin("topicTags", "topicTags.topicId", "topics.id")
      .select(["topicTags.tag", (eb) => eb.fn.countAll<number>().as("n")])
      .where("replies.authorId", "=", userId)
      .where("replies.moderationState", "=", "visible")
      // A question merged into another topic is a reply there, but no answer (as for the badges).
      .where("replies.mergedFromTopicId", "is", null)
      .groupBy("topicTags.tag")
      .orderBy("n", "desc")
      .orderBy("topicTags.tag")
      .limit(5)
      .execute(),
    recentActivity(deps.db, access, userId),
    certificationsOf(deps.db, communityId, userId, deps.clock.now()),
  ]);
  const self = access.actor?.id === userId;
  const suspendedUntil = member.suspendedUntil == null ? null : Number(member.suspendedUntil);
  const suspended = suspendedUntil !== null && suspendedUntil > deps.clock.now();
  // The balance and a suspension are the member's own business (and staff's).
  const privateView = can(access, "kudos.ledger", userId);
  return {
    member: {
      id: member.id,
      name: member.name,
      /** Unique; what @mentions name. */
      handle: member.handle,
      avatarUrl: avatarUrl(member.avatarKey, 256),
      role: member.role ?? null,
      memberSince: iso(member.createdAt),
    },
    kudos,
    rank: rankFor(access.ranks, kudos),
    champion: member.championSince != null,
    badges,
    /** Academy certifications still valid. */
    certifications,
    acceptedAnswers: Number(accepted.n),
    topTags: topTags.map((t) => ({ tag: t.tag, count: Number(t.n) })),
    recentActivity: recent,
    ...(privateView
      ? {
          balance: Number(member.balance ?? 0),
          suspension: suspended ? { until: iso(suspendedUntil), reason: member.suspensionReason ?? "" } : null,
        }
      : {}),
    self,
    /** What the viewer may do with this member; the profile page draws its buttons from it. */
    abilities: { champion: can(access, "champion.enrol") && member.role != null },
  };
}

export type Profile = Awaited<ReturnType<typeof getProfile>>;

/** The member's latest topics and replies the viewer may see. */
async function recentActivity(db: Db, access: CommunityAccess, userId: number) {
  const topics = listedTopics(db, access)
    .select([
      sql<string>`'topic'`.as("type"),
      "topics.id as topicId",
      sql<number | null>`null`.as("replyId"),
      "topics.title",
      "topics.createdAt",
    ])
    .where("topics.authorId", "=", userId);
  const replies = listedTopics(db, access)
    .innerJoin("replies", "replies.topicId", "topics.id")
    .select((eb) => [
      // A question merged into another topic lives on as a reply there: its member asked it.
      eb
        .case()
        .when("replies.mergedFromTopicId", "is", null)
        .then(sql<string>`'reply'`)
        .else(sql<string>`'topic'`)
        .end()
        .as("type"),
      "topics.id as topicId",
      "replies.id as replyId",
      "topics.title",
      "replies.createdAt",
    ])
    .where("replies.authorId", "=", userId)
    .where("replies.moderationState", "=", "visible");
  const rows = await topics.unionAll(replies).orderBy("createdAt", "desc").limit(10).execute();
  const slug = access.community.slug;
  return rows.map((r) => ({
    type: r.type as "topic" | "reply",
    topicId: r.topicId,
    title: r.title,
    url: `/c/${slug}/t/${r.topicId}${r.replyId ? `#reply-${r.replyId}` : ""}`,
    createdAt: iso(r.createdAt)!,
  }));
}

export interface LeaderRow {
  member: { id: number; name: string; avatarUrl: string | null };
  kudos: number;
  rank: { level: number; name: string };
  champion: boolean;
}

/**
 * Top members by kudos earned in a period (last 7 or 30 days, or all time) and optionally within a
 * tag, and the community's staff apart (they answer as their job): two queries.
 */
export async function leaderboard(deps: Deps, baseAccess: CommunityAccess, input: LeaderboardInput) {
  const access = await baseAccess;
  const since =
    input.period === "week"
      ? deps.clock.now() - 7 * DAY_MS
      : input.period === "month"
        ? deps.clock.now() - 30 * DAY_MS
        : null;
  const board = {
    communityId: access.community.id,
    since,
    tag: input.tag ?? null,
    limit: input.limit,
    viewer: topicViewer(access),
  };
  const [members, staff] = await Promise.all([
    leaderRows(deps.db, { ...board, staff: false }),
    leaderRows(deps.db, { ...board, staff: true, limit: Math.min(input.limit, STAFF_LEADERS_MAX) }),
  ]);
  return {
    period: input.period,
    tag: input.tag ?? null,
    leaders: members.map((r) => toLeader(access.ranks, r)),
    staff: staff.map((r) => toLeader(access.ranks, r)),
  };
}

const STAFF_LEADERS_MAX = 10;

interface Board {
  communityId: number;
  since: number | null;
  tag: string | null;
  limit: number;
  /** Staff and admins of the community only, or everyone else. */
  staff: boolean;
  /** A tag's board counts the topics this viewer may read: a private topic's tags are not shown to others. */
  viewer: TopicViewer;
}

/** Members in good standing in a community (champions, leaders): not deleted, not banned there. */
export function inGoodStanding(communityId: number) {
  const eb = expressionBuilder<Database, "users">();
  return eb.and([
    eb("users.deletedAt", "is", null),
    eb.not(
      eb.exists(
        eb
          .selectFrom("communityBans")
          .select("communityBans.userId")
          .whereRef("communityBans.userId", "=", "users.id")
          .where("communityBans.communityId", "=", communityId),
      ),
    ),
  ]);
}

/** All time without a tag reads the totals; otherwise it sums the ledger. Banned and deleted members are left out. */
async function leaderRows(db: Db, board: Board) {
  const { communityId, since, tag } = board;
  const staffRoles = [...STAFF_ROLES];
  const byRole = <QB extends SelectQueryBuilder<Database, "memberships" | "users", object>>(query: QB): QB =>
    (board.staff
      ? query.where("memberships.role", "in", staffRoles)
      : query.where((eb) => eb.or([eb("memberships.role", "is", null), eb("memberships.role", "not in", staffRoles)]))
    ).where(inGoodStanding(communityId)) as QB;
  if (since === null && !tag) {
    return byRole(
      db
        .selectFrom("reputation")
        .innerJoin("users", "users.id", "reputation.userId")
        .leftJoin("memberships", (j) =>
          j.onRef("memberships.userId", "=", "reputation.userId").on("memberships.communityId", "=", communityId),
        )
        .select([
          "reputation.userId",
          "users.name",
          "users.avatarKey",
          "reputation.kudos as earned",
          "reputation.kudos",
          "reputation.championSince",
        ])
        .where("reputation.communityId", "=", communityId)
        .where("reputation.kudos", ">", 0),
    )
      .orderBy("reputation.kudos", "desc")
      .orderBy("reputation.userId")
      .limit(board.limit)
      .execute();
  }
  let query = byRole(
    db
      .selectFrom("kudosEvents")
      .innerJoin("users", "users.id", "kudosEvents.userId")
      .leftJoin("reputation", (j) =>
        j.onRef("reputation.userId", "=", "kudosEvents.userId").on("reputation.communityId", "=", communityId),
      )
      .leftJoin("memberships", (j) =>
        j.onRef("memberships.userId", "=", "kudosEvents.userId").on("memberships.communityId", "=", communityId),
      )
      .select((eb) => [
        "kudosEvents.userId",
        "users.name",
        "users.avatarKey",
        eb.fn.sum<number>("kudosEvents.amount").as("earned"),
        "reputation.kudos",
        "reputation.championSince",
      ])
      .where("kudosEvents.communityId", "=", communityId)
      .where("kudosEvents.kind", "=", "earn"),
  );
  if (since !== null) query = query.where("kudosEvents.createdAt", ">=", since);
  if (tag)
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("topicTags")
          .innerJoin("topics as tagged", "tagged.id", "topicTags.topicId")
          .select("topicTags.topicId")
          .whereRef("topicTags.topicId", "=", "kudosEvents.topicId")
          .where("topicTags.tag", "=", tag)
          .where(visibleTopicsSql(board.viewer, "tagged")),
      ),
    );
  return query
    .groupBy(["kudosEvents.userId", "users.name", "users.avatarKey", "reputation.kudos", "reputation.championSince"])
    .having((eb) => eb.fn.sum("kudosEvents.amount"), ">", 0)
    .orderBy("earned", "desc")
    .orderBy("kudosEvents.userId")
    .limit(board.limit)
    .execute();
}

function toLeader(
  ranks: readonly Rank[],
  r: {
    userId: number;
    name: string;
    avatarKey: string | null;
    earned: number;
    kudos: number | null;
    championSince: number | null;
  },
): LeaderRow {
  return {
    member: { id: r.userId, name: r.name, avatarUrl: avatarUrl(r.avatarKey) },
    kudos: Number(r.earned),
    rank: rankFor(ranks, Number(r.kudos ?? 0)),
    champion: r.championSince != null,
  };
}

/** A member's ledger, newest first: for the member and staff. */
export async function ledger(
  deps: Deps,
  baseAccess: CommunityAccess,
  userId: number,
  page: { before?: number; limit: number },
) {
  const access = await baseAccess;
  if (!can(access, "kudos.ledger", userId))
    throw forbidden("Only the member and staff can see a member's kudos ledger.");
  let query = deps.db
    .selectFrom("kudosEvents")
    .leftJoin("users as actor", "actor.id", "kudosEvents.actorId")
    .select([
      "kudosEvents.id",
      "kudosEvents.reason",
      "kudosEvents.amount",
      "kudosEvents.kind",
      "kudosEvents.sourceKey",
      "kudosEvents.topicId",
      "kudosEvents.reversesId",
      "kudosEvents.createdAt",
      "kudosEvents.actorId",
      "actor.name as actorName",
    ])
    .where("kudosEvents.communityId", "=", access.community.id)
    .where("kudosEvents.userId", "=", userId)
    .orderBy("kudosEvents.id", "desc")
    .limit(page.limit + 1);
  if (page.before) query = query.where("kudosEvents.id", "<", page.before);
  const rows = await query.execute();
  const entries = rows.slice(0, page.limit).map((r) => ({
    id: r.id,
    reason: r.reason,
    amount: Number(r.amount),
    kind: r.kind,
    source: r.sourceKey,
    topicId: r.topicId,
    reverses: r.reversesId,
    actor: r.actorId ? { id: r.actorId, name: r.actorName ?? "" } : null,
    createdAt: iso(r.createdAt)!,
  }));
  const totals = await deps.db
    .selectFrom("reputation")
    .select(["kudos", "balance"])
    .where("communityId", "=", access.community.id)
    .where("userId", "=", userId)
    .executeTakeFirst();
  return {
    kudos: Number(totals?.kudos ?? 0),
    balance: Number(totals?.balance ?? 0),
    entries,
    nextCursor: rows.length > page.limit ? entries[entries.length - 1].id : null,
  };
}
