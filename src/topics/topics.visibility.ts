import { sql, type ExpressionBuilder, type RawBuilder, type SqlBool } from "kysely";
import type { CategoryScope, Database } from "../db/schema.ts";
import { STAFF_ROLES, isStaffRole, type CommunityAccess } from "../access/access.ts";

/**
 * Who may see a topic, in one place. A topic in a `private` category (billing, account questions)
 * is visible only to its asker and the community's staff (staff, admins, platform admins); any
 * other topic to everyone who may see its community. Lists, pages, search, similar questions,
 * Questions for you, notifications and live streams all ask here.
 */
export interface TopicViewer {
  userId: number | null;
  staff: boolean;
}

export function topicViewer(access: CommunityAccess): TopicViewer {
  return { userId: access.actor?.id ?? null, staff: isStaffRole(access.role) };
}

export function canSeeTopic(
  viewer: TopicViewer,
  topic: { authorId: number; categoryScope: CategoryScope | null },
): boolean {
  return topic.categoryScope !== "private" || viewer.staff || topic.authorId === viewer.userId;
}

/** The same rule as an SQL condition on the topics row under `alias` (our own table alias, never user input). */
export function visibleTopicsSql(viewer: TopicViewer, alias = "topics"): RawBuilder<SqlBool> {
  if (viewer.staff) return sql<SqlBool>`1 = 1`;
  const t = sql.raw(alias);
  return sql<SqlBool>`(${t}.author_id = ${viewer.userId ?? -1} or not exists
    (select 1 from categories vis where vis.id = ${t}.category_id and vis.scope = 'private'))`;
}

/** Users who may read a private topic (its asker and the staff of its community), as a condition on `users`. */
export function privateTopicReaders(topic: { authorId: number; communityId: number }) {
  return (eb: ExpressionBuilder<Database, "users">) =>
    eb.or([
      eb("users.id", "=", topic.authorId),
      eb("users.isPlatformAdmin", "=", 1),
      eb.exists(
        eb
          .selectFrom("memberships")
          .select("memberships.userId")
          .whereRef("memberships.userId", "=", "users.id")
          .where("memberships.communityId", "=", topic.communityId)
          .where("memberships.role", "in", STAFF_ROLES),
      ),
    ]);
}
