import type { Db } from "../db/database.ts";
import { HANDLE_MAX, isHandle } from "../lib/handles.ts";

/**
 * A mention is @ followed by a member's unique handle, e.g. @alicemartin (lib/handles.ts), in any
 * case: "@AliceMartin" is the same. Letters with diacritics fold as in handles ("@Zoë" -> zoe).
 * A full stop or hyphen after it ends the sentence, not the handle.
 */
const MENTION = /(?:^|[^\w@])@([\p{L}\p{N}_.-]{2,64})/gu;

/** The handle a mention names, or null when it cannot be one (too long, other characters). */
export function mentionedHandle(token: string): string | null {
  const handle = token
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[.-]+$/, "");
  return handle.length <= HANDLE_MAX && isHandle(handle) ? handle : null;
}

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
