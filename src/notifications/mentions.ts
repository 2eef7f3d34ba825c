import type { Db } from "../db/database.ts";
import { MENTION, mentionedHandle } from "../lib/handles.ts";

/** The handles a Markdown body mentions, outside code, at most 20. */
export function extractMentions(body: string): string[] {
  // Code spans and blocks are not prose: an @decorator there mentions nobody.
  const prose = body.replace(/```[\s\S]*?```/g, "").replace(/`[^`]*`/g, "");
  const handles = new Set<string>();
  for (const match of prose.matchAll(MENTION)) {
    const handle = mentionedHandle(match[1]);
    if (handle) handles.add(handle);
  }
  return [...handles].slice(0, 20);
}

/**
 * The members of the community that the body's handles name: each handle is one account (a
 * unique index), so a second account with the same display name neither receives nor blocks
 * another's mentions. Handles of non-members, and of deleted accounts, name nobody. Whether a
 * member may see the post is the fan-out's question (notify), asked of every notification.
 */
export async function resolveMentions(db: Db, communityId: number, body: string): Promise<number[]> {
  const handles = extractMentions(body);
  if (handles.length === 0) return [];
  const members = await db
    .selectFrom("users")
    .innerJoin("memberships", "memberships.userId", "users.id")
    .select("users.id")
    .where("users.handle", "in", handles)
    .where("memberships.communityId", "=", communityId)
    .where("users.deletedAt", "is", null)
    .execute();
  return members.map((m) => m.id);
}
