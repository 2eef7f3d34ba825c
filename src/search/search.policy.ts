import { isParticipant, type CommunityAccess } from "../communities/privileges.ts";
import type { Role } from "../db/schema.ts";

/**
 * Privileges of the search domain, as data like communities/privileges.ts (kept here because the
 * shared PRIVILEGES table is enumerated by the permissions matrix test; moving these rules there
 * needs a matrix row each). Marking duplicates is a trust privilege there ("topic.markDuplicate":
 * moderators, champions and members with enough kudos).
 */
const STAFF_AND_MODERATORS: readonly Role[] = ["staff", "moderator", "admin"];

export const SEARCH_PRIVILEGES = {
  /** Write, promote and edit knowledge base articles. */
  "article.write": { roles: STAFF_AND_MODERATORS },
  /** See the deflection statistics. */
  "stats.deflection": { roles: STAFF_AND_MODERATORS },
} as const satisfies Record<string, { roles: readonly Role[] }>;

export type SearchPrivilege = keyof typeof SEARCH_PRIVILEGES;

export function canSearch(access: CommunityAccess, privilege: SearchPrivilege): boolean {
  if (!isParticipant(access) || access.role === null) return false;
  return (SEARCH_PRIVILEGES[privilege].roles as readonly Role[]).includes(access.role);
}
