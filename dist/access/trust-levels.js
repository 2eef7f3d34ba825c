/** Names of the default ranks; pages translate these, custom names are shown as written. */
export const DEFAULT_RANK_NAMES = ["Newcomer", "Helper", "Expert", "Legend"];
export const DEFAULT_RANKS = [
    { name: "Newcomer", minKudos: 0 },
    { name: "Helper", minKudos: 50 },
    { name: "Expert", minKudos: 500 },
    { name: "Legend", minKudos: 2000 },
];
/** The rank for some kudos: the highest whose threshold is reached (the first for negative kudos). */
export function rankFor(ranks, kudos) {
    let level = 0;
    for (const [i, rank] of ranks.entries())
        if (kudos >= rank.minKudos)
            level = i;
    return { level, name: ranks[level].name };
}
export function authorStanding(ranks, row, at) {
    return {
        rank: rankFor(ranks, Number(row.authorKudos ?? 0)),
        champion: row.authorChampionSince != null,
        suspended: row.authorSuspendedUntil != null && Number(row.authorSuspendedUntil) > at,
    };
}
