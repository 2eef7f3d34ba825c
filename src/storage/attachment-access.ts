import { sql, type SqlBool } from "kysely";
import { canView, memberRoleOf, STAFF_ROLES } from "../access/access.ts";
import { privilegeRules } from "../access/privileges.ts";
import type { Actor } from "../core/deps.ts";
import type { Tx } from "../core/transaction.ts";
import type { Db } from "../db/database.ts";
import type { Role } from "../db/schema.ts";
import { prepared } from "../db/prepared.ts";

/**
 * Who may fetch an attached image: `everyone`, or `viewer` when the answer is for this viewer only (their
 * browser may keep it, no shared cache), or null for nobody (404, as for a key nobody holds).
 *
 * In each community holding the image (one that uploaded it), the posts showing it decide, by the topics they
 * are in (`attachment_topics`, written as posts are saved):
 * - shown in a topic (not deleted) of an open category (neither `private` nor champions-only), or in no topic
 *   yet: whoever may read the community;
 * - shown only in questions of `private` categories (billing, account): their askers and staff, as for the
 *   questions themselves (topics.visibility.ts). Such a question moved to an open category opens its images;
 * - shown only in topics of champions-only categories: champions, staff and moderators (`category.champions`);
 * - shown only in deleted topics: nobody.
 * An image in no topic yet is a draft's (or an article's, a lesson's): fetched by its uploader, it is theirs
 * only, so that no shared cache keeps a copy the private question it is for would then show anyone.
 */
export type AttachmentAudience = "everyone" | "viewer" | null;

// Asked on every request for an attached image: compiled once. The same picture uploaded in several
// communities has a row in each; many uploads of it in one community give one row here.
const communitiesHolding = prepared((db: Db, v: { key: string; actorId: number }) =>
  db
    .selectFrom("attachments")
    .innerJoin("communities", "communities.id", "attachments.communityId")
    .leftJoin("memberships", (join) =>
      join.onRef("memberships.communityId", "=", "communities.id").on("memberships.userId", "=", v.actorId),
    )
    .select(["communities.id", "communities.slug", "communities.name", "communities.visibility"])
    .select("memberships.role as memberRole")
    .select((eb) => {
      // Whether the viewer holds one of `roles` here (a platform admin holds them all), as memberRoleOf says.
      const platformAdmin = eb.exists(
        eb.selectFrom("users as me").select("me.id").where("me.id", "=", v.actorId).where("me.isPlatformAdmin", "=", 1),
      );
      const holds = (roles: readonly Role[]) =>
        eb.or([...(roles.length ? [eb("memberships.role", "in", [...roles])] : []), platformAdmin]);
      // Read when first compiled, once every domain's privileges are installed.
      const championsRule = privilegeRules()["category.champions"];
      const champion = eb.or([
        holds(championsRule.roles ?? []),
        ...(championsRule.champions
          ? [
              eb.exists(
                eb
                  .selectFrom("reputation as r")
                  .select("r.userId")
                  .whereRef("r.communityId", "=", "communities.id")
                  .where("r.userId", "=", v.actorId)
                  .where("r.championSince", "is not", null),
              ),
            ]
          : []),
      ]);
      const openScope = sql<SqlBool>`coalesce(c.scope, 'crowd') <> 'private'`;
      const notChampionsOnly = sql<SqlBool>`coalesce(c.champions_only, 0) = 0`;
      // A deleted topic is seen by nobody: it shows its images to no one.
      const notDeleted = sql<SqlBool>`t.moderation_state <> 'deleted'`;
      // The topics of this community whose posts show the image.
      const topicsShowing = () =>
        eb
          .selectFrom("attachmentTopics as shown")
          .innerJoin("topics as t", "t.id", "shown.topicId")
          .leftJoin("categories as c", "c.id", "t.categoryId")
          .select(sql<number>`1`.as("one"))
          .where("shown.key", "=", v.key)
          .whereRef("t.communityId", "=", "communities.id");
      const uploads = eb
        .selectFrom("attachments as mine")
        .select(sql<number>`1`.as("one"))
        .where("mine.key", "=", v.key)
        .whereRef("mine.communityId", "=", "communities.id")
        .where("mine.ownerId", "=", v.actorId);
      return [
        eb.exists(topicsShowing()).as("shown"),
        eb.exists(topicsShowing().where(notDeleted).where(openScope).where(notChampionsOnly)).as("shownOpenly"),
        eb
          .exists(
            topicsShowing()
              .where(notDeleted)
              .where((w) => w.or([openScope, w("t.authorId", "=", v.actorId), holds(STAFF_ROLES)]))
              .where(eb.or([notChampionsOnly, champion])),
          )
          .as("shownToViewer"),
        eb.exists(uploads).as("uploader"),
      ];
    })
    .distinct()
    .where("attachments.key", "=", v.key),
);

/**
 * The audience of the image whose rows hold `key`, in one query, by the rule above and the one every
 * community read follows (`canView`, with the role communityAccess gives: memberRoleOf). A key no row holds
 * has no audience.
 */
export async function attachmentAudience(db: Db, key: string, actor: Actor | null): Promise<AttachmentAudience> {
  const rows = await communitiesHolding(db, { key, actorId: actor?.id ?? -1 });
  let audience: AttachmentAudience = null;
  for (const row of rows) {
    const role = memberRoleOf(actor, row.memberRole);
    if (!canView({ community: row, role })) continue;
    const shown = Boolean(row.shown);
    if (shown && !row.shownToViewer) continue;
    const open = canView({ community: row, role: null }) && (!shown || Boolean(row.shownOpenly));
    if (open && !(row.uploader && !shown)) return "everyone";
    audience = "viewer";
  }
  return audience;
}

/** Records, in the transaction saving a post, that its topic shows these attached images. */
export async function recordTopicImages(tx: Pick<Tx, "db">, topicId: number, keys: string[]): Promise<void> {
  if (!keys.length) return;
  await tx.db
    .insertInto("attachmentTopics")
    .values(keys.map((key) => ({ key, topicId })))
    .onConflict((oc) => oc.columns(["key", "topicId"]).doNothing())
    .execute();
}
