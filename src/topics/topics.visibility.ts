import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { CategoryScope, ModerationState } from "../db/schema.ts";
import type { Db } from "../db/database.ts";
import { isStaffRole, STAFF_ROLES, type CommunityAccess } from "../access/access.ts";
import { can, privilegeRules } from "../access/privileges.ts";

/**
 * Who may see a topic: the one rule every reader of topics and posts applies (lists, pages,
 * search, similar questions, Questions for you and routing, notifications at fan-out and when
 * read, emails and digests, the review queue, duplicate banners, history, live streams, exports).
 * In a community the viewer may see, a topic is visible unless
 * - its category is `private` (billing, account questions): only its asker and staff;
 * - its category is for champions: only champions, staff and moderators (`category.champions`);
 * - it is held for review or hidden: only its author and reviewers (`review.queue`); deleted and
 *   merged topics are seen by nobody (pages follow a merge to the topic it went into).
 */
export interface TopicViewer {
  userId: number | null;
  staff: boolean;
  champions: boolean;
  reviewer: boolean;
}

export function topicViewer(access: CommunityAccess): TopicViewer {
  return {
    userId: access.actor?.id ?? null,
    staff: isStaffRole(access.role),
    champions: can(access, "category.champions"),
    reviewer: can(access, "review.queue"),
  };
}

export interface TopicVisibilityFacts {
  authorId: number;
  categoryScope: CategoryScope | null;
  categoryChampionsOnly?: number | null;
  moderationState?: ModerationState;
}

/** Reads the facts above for topics (callers narrow it with their own conditions). */
export const topicVisibilityFacts = (db: Db) =>
  db
    .selectFrom("topics")
    .leftJoin("categories", "categories.id", "topics.categoryId")
    .select([
      "topics.authorId",
      "topics.moderationState",
      "categories.scope as categoryScope",
      "categories.championsOnly as categoryChampionsOnly",
    ]);

/** Posts (topics, replies, comments) held for review or hidden are for their author and reviewers. */
export function canSeeModerated(
  viewer: Pick<TopicViewer, "userId" | "reviewer">,
  authorId: number,
  state: ModerationState = "visible",
) {
  if (state === "visible") return true;
  if (state !== "pending" && state !== "hidden") return false;
  return viewer.userId === authorId || viewer.reviewer;
}

export function canSeeTopic(viewer: TopicViewer, topic: TopicVisibilityFacts): boolean {
  if (topic.categoryScope === "private" && !viewer.staff && topic.authorId !== viewer.userId) return false;
  if (topic.categoryChampionsOnly && !viewer.champions) return false;
  return canSeeModerated(viewer, topic.authorId, topic.moderationState);
}

/** Viewers with no special standing: a member who did not ask, and a champion. */
const AUDIENCES: readonly TopicViewer[] = [
  { userId: null, staff: false, champions: false, reviewer: false },
  { userId: null, staff: false, champions: true, reviewer: false },
];

/**
 * Whether moving `source`'s content into `target` would show it to someone who may not see it now
 * (a private-scope, champions-only, held or hidden topic merged into a more open one).
 */
export function wouldReveal(source: TopicVisibilityFacts, target: TopicVisibilityFacts): boolean {
  return AUDIENCES.some((viewer) => canSeeTopic(viewer, target) && !canSeeTopic(viewer, source));
}

/**
 * The same rule as an SQL condition on the topics row under `alias` (our own table alias, never
 * user input), for lists: one query, whatever the number of rows.
 */
export function visibleTopicsSql(viewer: TopicViewer, alias = "topics"): RawBuilder<SqlBool> {
  const t = sql.raw(alias);
  const me = viewer.userId ?? -1;
  const state = viewer.reviewer
    ? sql`${t}.moderation_state in ('visible', 'pending', 'hidden')`
    : sql`(${t}.moderation_state = 'visible' or (${t}.author_id = ${me} and ${
        t
      }.moderation_state in ('pending', 'hidden')))`;
  return sql<SqlBool>`(${state} and ${categoryAllowsSql(viewer, alias)})`;
}

/**
 * The category half of the rule alone (private scope, champions only), for readers that show
 * moderated posts anyway: the review queue is for reviewers, but not for the categories they may
 * not read.
 */
export function categoryAllowsSql(viewer: TopicViewer, alias = "topics"): RawBuilder<SqlBool> {
  const t = sql.raw(alias);
  const me = viewer.userId ?? -1;
  const scope = viewer.staff
    ? sql`1 = 1`
    : sql`(${t}.author_id = ${me} or vis.scope is null or vis.scope <> 'private')`;
  const champions = viewer.champions ? sql`1 = 1` : sql`coalesce(vis.champions_only, 0) = 0`;
  return sql<SqlBool>`not exists (select 1 from categories vis
    where vis.id = ${t}.category_id and not (${scope} and ${champions}))`;
}

const list = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`));

/**
 * Whether the user `userId` may read the topic `topicId` (both SQL expressions, e.g. column
 * references of the caller's query), by the same rule, for readers that choose recipients rather
 * than check one viewer: notification fan-out and delivery, routing to experts.
 */
export function topicReadableBy(topicId: RawBuilder<unknown>, userId: RawBuilder<unknown>): RawBuilder<SqlBool> {
  const champions = privilegeRules()["category.champions"];
  const role = (roles: readonly string[]) =>
    sql`exists (select 1 from memberships rm where rm.community_id = rt.community_id and rm.user_id = ${userId}
      and rm.role in (${list(roles)}))`;
  const platformAdmin = sql`exists (select 1 from users ru where ru.id = ${userId} and ru.is_platform_admin = 1)`;
  const member = sql`exists (select 1 from memberships rm where rm.community_id = rt.community_id and rm.user_id = ${
    userId
  })`;
  const champion = sql`exists (select 1 from reputation rr where rr.community_id = rt.community_id
    and rr.user_id = ${userId} and rr.champion_since is not null)`;
  return sql<SqlBool>`exists (select 1 from topics rt
    join communities rc on rc.id = rt.community_id
    left join categories rcat on rcat.id = rt.category_id
    where rt.id = ${topicId}
    and (rc.visibility = 'public' or ${member} or ${platformAdmin})
    and (rcat.scope is null or rcat.scope <> 'private' or rt.author_id = ${userId} or ${role(STAFF_ROLES)} or ${
      platformAdmin
    })
    and (coalesce(rcat.champions_only, 0) = 0 or ${role(champions.roles ?? [])} or ${platformAdmin}
      or ${champions.champions ? champion : sql`1 = 0`})
    and (rt.moderation_state = 'visible' or (rt.author_id = ${
      userId
    } and rt.moderation_state in ('pending', 'hidden'))))`;
}

/**
 * Whether a reply or comment (SQL expressions: `type` is 'reply' or 'comment', or null for none)
 * is still shown in its topic: not held, hidden or deleted, nor a comment under such a reply. What
 * points at it (a notification and its excerpt) is shown only as long as it is.
 */
export function postShownSql(type: RawBuilder<unknown>, id: RawBuilder<unknown>): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${type} is null
    or (${type} = 'reply' and exists (select 1 from replies sr where sr.id = ${id} and sr.moderation_state = 'visible'))
    or (${type} = 'comment' and exists (select 1 from comments sc left join replies scr on scr.id = sc.reply_id
      where sc.id = ${id} and sc.moderation_state = 'visible'
      and (sc.reply_id is null or scr.moderation_state = 'visible'))))`;
}
