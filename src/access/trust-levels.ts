/**
 * Ranks by kudos, configured per community (with the reputation settings). The access loader
 * reads them with the member's standing so every page can show authors' ranks without a query.
 */
export interface Rank {
  name: string;
  minKudos: number;
}

/** Names of the default ranks; pages translate these, custom names are shown as written. */
export const DEFAULT_RANK_NAMES = ["Newcomer", "Helper", "Expert", "Legend"] as const;

export const DEFAULT_RANKS: readonly Rank[] = [
  { name: "Newcomer", minKudos: 0 },
  { name: "Helper", minKudos: 50 },
  { name: "Expert", minKudos: 500 },
  { name: "Legend", minKudos: 2000 },
];

/** The rank for some kudos: the highest whose threshold is reached (the first for negative kudos). */
export function rankFor(ranks: readonly Rank[], kudos: number): { level: number; name: string } {
  let level = 0;
  for (const [i, rank] of ranks.entries()) if (kudos >= rank.minKudos) level = i;
  return { level, name: ranks[level].name };
}

/** Rank, champion mark and running suspension of an author, from the columns joined to a post. */
export interface AuthorStanding {
  rank: { level: number; name: string };
  champion: boolean;
  /** Suspended from the community at `at`: readers see it next to the member's posts. */
  suspended: boolean;
}

export function authorStanding(
  ranks: readonly Rank[],
  row: { authorKudos?: number | null; authorChampionSince?: number | null; authorSuspendedUntil?: number | null },
  at: number,
): AuthorStanding {
  return {
    rank: rankFor(ranks, Number(row.authorKudos ?? 0)),
    champion: row.authorChampionSince != null,
    suspended: row.authorSuspendedUntil != null && Number(row.authorSuspendedUntil) > at,
  };
}
