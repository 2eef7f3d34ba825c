import { sql } from "kysely";
import { STAFF_ROLES, isStaffRole } from "../access/access.js";
export function topicViewer(access) {
    return { userId: access.actor?.id ?? null, staff: isStaffRole(access.role) };
}
export function canSeeTopic(viewer, topic) {
    return topic.categoryScope !== "private" || viewer.staff || topic.authorId === viewer.userId;
}
/** The same rule as an SQL condition on the topics row under `alias` (our own table alias, never user input). */
export function visibleTopicsSql(viewer, alias = "topics") {
    if (viewer.staff)
        return sql `1 = 1`;
    const t = sql.raw(alias);
    return sql `(${t}.author_id = ${viewer.userId ?? -1} or not exists
    (select 1 from categories vis where vis.id = ${t}.category_id and vis.scope = 'private'))`;
}
/** Users who may read a private topic (its asker and the staff of its community), as a condition on `users`. */
export function privateTopicReaders(topic) {
    return (eb) => eb.or([
        eb("users.id", "=", topic.authorId),
        eb("users.isPlatformAdmin", "=", 1),
        eb.exists(eb
            .selectFrom("memberships")
            .select("memberships.userId")
            .whereRef("memberships.userId", "=", "users.id")
            .where("memberships.communityId", "=", topic.communityId)
            .where("memberships.role", "in", STAFF_ROLES)),
    ]);
}
