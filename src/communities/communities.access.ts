import type { Actor, Deps } from "../core/deps.ts";
import type { Community, Role } from "../db/schema.ts";
import { canView, memberRoleOf, type CommunityAccess } from "../access/access.ts";
import { parseReputationSettings } from "../access/reputation-settings.ts";
import type { Rank } from "../access/trust-levels.ts";
import { notFound } from "../core/errors.ts";
import type { Db } from "../db/database.ts";
import type { PageContext } from "../web/layout.ts";
import { preparedFirst } from "../db/prepared.ts";

export type LoadedAccess = CommunityAccess & { community: Community };

/** The ranks and kudos thresholds a community's reputation settings hold, over the defaults. */
interface TrustLevels {
  ranks: readonly Rank[];
  thresholds: Readonly<Record<string, number>>;
}

// Settings change rarely and are read on every request: parse each stored document once.
const parsedLevels = new Map<string, TrustLevels>();

/** Read as the settings page and API read them (reputationSettings), so what is shown is what is enforced. */
function trustLevels(stored: string | null): TrustLevels {
  const key = stored ?? "";
  let levels = parsedLevels.get(key);
  if (!levels) {
    const { ranks, thresholds } = parseReputationSettings(stored);
    levels = { ranks, thresholds };
    if (parsedLevels.size > 1000) parsedLevels.clear();
    parsedLevels.set(key, levels);
  }
  return levels;
}

/** A token without the admin scope acts as a plain member, whatever its owner's role. */
function scopedRole(actor: Actor | null, role: Role | null): Role | null {
  return role !== null && actor?.scope !== undefined && actor.scope !== "admin" ? "member" : role;
}

/** A community with one member's role and standing in it (actorId -1: nobody's). */
const accessQuery = (db: Db, actorId: number) =>
  db
    .selectFrom("communities")
    .leftJoin("memberships", (join) =>
      join.onRef("memberships.communityId", "=", "communities.id").on("memberships.userId", "=", actorId),
    )
    .leftJoin("reputation", (join) =>
      join.onRef("reputation.communityId", "=", "communities.id").on("reputation.userId", "=", actorId),
    )
    .leftJoin("communityBans", (join) =>
      join.onRef("communityBans.communityId", "=", "communities.id").on("communityBans.userId", "=", actorId),
    )
    .leftJoin("communitySettings", (join) =>
      join
        .onRef("communitySettings.communityId", "=", "communities.id")
        .on("communitySettings.section", "=", "reputation"),
    )
    .selectAll("communities")
    .select([
      "memberships.role as memberRole",
      "memberships.suspendedUntil",
      "memberships.suspensionReason",
      "reputation.kudos",
      "reputation.championSince",
      "communitySettings.value as reputationSettings",
      "communityBans.userId as bannedUserId",
    ]);

// Read on every request: compiled once (db/prepared.ts).
const accessBySlug = preparedFirst((db, v: { actorId: number; slug: string }) =>
  accessQuery(db, v.actorId).where("communities.slug", "=", v.slug),
);
const accessById = preparedFirst((db, v: { actorId: number; id: number }) =>
  accessQuery(db, v.actorId).where("communities.id", "=", v.id),
);

/**
 * The one way to load an actor's access to a community: the community, their role, and their
 * standing (kudos, champion, suspension, the community's thresholds and ranks), in one query.
 * A community that does not exist or that the actor may not see is "not found" (named `missing`,
 * e.g. "Topic" when the caller came looking for a topic).
 */
export async function communityAccess(
  deps: Pick<Deps, "db" | "clock">,
  where: { slug: string } | { id: number },
  actor: Actor | null,
  missing = "Community",
): Promise<LoadedAccess> {
  const actorId = actor?.id ?? -1;
  const row = await ("slug" in where
    ? accessBySlug(deps.db, { actorId, slug: where.slug.toLowerCase() })
    : accessById(deps.db, { actorId, id: where.id }));
  if (!row) throw notFound(missing);
  const {
    memberRole,
    suspendedUntil,
    suspensionReason,
    kudos,
    championSince,
    reputationSettings,
    bannedUserId,
    ...community
  } = row;
  const role = scopedRole(actor, memberRoleOf(actor, memberRole));
  if (!canView({ community, role })) throw notFound(missing);
  const levels = trustLevels(reputationSettings ?? null);
  return {
    community,
    actor,
    role,
    standing: {
      kudos: actor ? Number(kudos ?? 0) : 0,
      champion: actor !== null && championSince != null,
      suspendedUntil: suspendedUntil == null ? null : Number(suspendedUntil),
      suspensionReason: suspensionReason ?? null,
      banned: bannedUserId != null,
      thresholds: levels.thresholds,
      at: deps.clock.now(),
    },
    ranks: levels.ranks,
  };
}

/** A page's `load` step: the community of the `:slug` in its path and the viewer's access to it. */
export const inCommunity =
  (deps: Pick<Deps, "db" | "clock">) =>
  async ({ params, actor, page }: { params: { slug: string }; actor: Actor | null; page?: PageContext }) => {
    const access = await communityAccess(deps, { slug: params.slug }, actor);
    if (page) rememberAccess(page, access);
    return access;
  };

// The viewer's access each page loaded, for the community bar above it (communities.nav.ts).
const accessOfPage = new WeakMap<PageContext, LoadedAccess>();

/** Keeps the access a page loaded for its rendering, so the layout around it does not ask again. */
export function rememberAccess(page: PageContext, access: LoadedAccess): void {
  accessOfPage.set(page, access);
}

/** The viewer's access to the community with this slug: the one the page loaded, else from the database. */
export async function pageAccess(page: PageContext, slug: string): Promise<LoadedAccess> {
  const loaded = accessOfPage.get(page);
  if (loaded && loaded.community.slug === slug.toLowerCase()) return loaded;
  return communityAccess(page.deps, { slug }, page.actor);
}
