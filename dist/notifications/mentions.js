/** A mention is @ followed by a member's display name without spaces, e.g. @AliceMartin for "Alice Martin". */
const MENTION = /(?:^|[^\w@])@([\p{L}\p{N}_.-]{2,40})/gu;
export function normalizeHandle(name) {
    return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}
export function extractMentions(body) {
    // Code spans and blocks are not prose: an @decorator there mentions nobody.
    const prose = body.replace(/```[\s\S]*?```/g, "").replace(/`[^`]*`/g, "");
    const handles = new Set();
    for (const match of prose.matchAll(MENTION))
        handles.add(normalizeHandle(match[1]));
    handles.delete("");
    return [...handles].slice(0, 20);
}
/**
 * Members of the community whose handle is mentioned. A handle that fits two members is
 * ambiguous and mentions nobody; names of non-members resolve to nobody.
 */
export async function resolveMentions(db, communityId, body) {
    const handles = extractMentions(body);
    if (handles.length === 0)
        return [];
    const members = await db
        .selectFrom("memberships")
        .innerJoin("users", "users.id", "memberships.userId")
        .select(["users.id", "users.name"])
        .where("memberships.communityId", "=", communityId)
        .execute();
    const byHandle = new Map();
    for (const m of members) {
        const handle = normalizeHandle(m.name);
        if (handles.includes(handle))
            byHandle.set(handle, [...(byHandle.get(handle) ?? []), m.id]);
    }
    return [...byHandle.values()].filter((ids) => ids.length === 1).map(([id]) => id);
}
