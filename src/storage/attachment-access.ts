import { canView, memberRoleOf } from "../access/access.ts";
import type { Actor } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import { prepared } from "../db/prepared.ts";

/**
 * Who may fetch an attached image: `everyone` when a public community holds it, `viewer` when only
 * the communities the viewer may read (private ones they belong to) hold it, null for nobody.
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
    .distinct()
    .where("attachments.key", "=", v.key),
);

/**
 * The audience of the image whose rows hold `key`, in one query, by the rule every community read
 * follows (`canView`, with the role communityAccess gives: memberRoleOf). A key no row holds has no
 * audience.
 */
export async function attachmentAudience(db: Db, key: string, actor: Actor | null): Promise<AttachmentAudience> {
  const rows = await communitiesHolding(db, { key, actorId: actor?.id ?? -1 });
  if (rows.some((community) => canView({ community, role: null }))) return "everyone";
  const readable = rows.some((row) => canView({ community: row, role: memberRoleOf(actor, row.memberRole) }));
  return readable ? "viewer" : null;
}
