import type { Deps } from "../core/deps.ts";
import type { CommunityAccess, Standing } from "../communities/privileges.ts";
import { rankFor, reputationSettings, type Rank } from "./reputation.settings.ts";

/**
 * Adds the actor's standing (kudos, champion, suspension and the community's thresholds) to their
 * access, so privilege checks can weigh it. Visitors have none. Two small queries.
 */
export async function withStanding<A extends CommunityAccess>(
  deps: Pick<Deps, "db" | "clock">,
  access: A,
): Promise<A & { ranks: readonly Rank[] }> {
  const settings = await reputationSettings(deps.db, access.community.id);
  if (!access.actor) return { ...access, ranks: settings.ranks };
  const communityId = access.community.id;
  const row = await deps.db
    .selectFrom("users")
    .leftJoin("memberships", (join) =>
      join.onRef("memberships.userId", "=", "users.id").on("memberships.communityId", "=", communityId),
    )
    .leftJoin("reputation", (join) =>
      join.onRef("reputation.userId", "=", "users.id").on("reputation.communityId", "=", communityId),
    )
    .select([
      "memberships.suspendedUntil",
      "memberships.suspensionReason",
      "reputation.kudos",
      "reputation.championSince",
    ])
    .where("users.id", "=", access.actor.id)
    .executeTakeFirst();
  const standing: Standing = {
    kudos: Number(row?.kudos ?? 0),
    champion: row?.championSince != null,
    suspendedUntil: row?.suspendedUntil == null ? null : Number(row.suspendedUntil),
    suspensionReason: row?.suspensionReason ?? null,
    thresholds: settings.thresholds,
    at: deps.clock.now(),
  };
  return { ...access, standing, ranks: settings.ranks };
}

export interface AuthorStanding {
  rank: { level: number; name: string };
  champion: boolean;
}

/** Rank and champion mark of an author, from the kudos and champion columns joined to a post. */
export function authorStanding(
  ranks: readonly Rank[],
  row: { authorKudos?: number | null; authorChampionSince?: number | null },
): AuthorStanding {
  return { rank: rankFor(ranks, Number(row.authorKudos ?? 0)), champion: row.authorChampionSince != null };
}
