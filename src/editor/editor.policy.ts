import { isStaffRole, MODERATORS, type CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { rankFor } from "../access/trust-levels.ts";

/**
 * How many images a member may attach: per post, and uploads per day in the community. New
 * members get a few, each rank more; staff and moderators more still. External image addresses
 * keep their own rule (the kudos-gated `post.images` privilege of moderation).
 */
export interface Allowance {
  perPost: number;
  perDay: number;
}

/** By rank level (Newcomer, Helper, Expert, Legend and any higher custom rank). */
export const ALLOWANCE_BY_LEVEL: readonly Allowance[] = [
  { perPost: 3, perDay: 10 },
  { perPost: 6, perDay: 30 },
  { perPost: 10, perDay: 100 },
  { perPost: 20, perDay: 300 },
];
export const STAFF_ALLOWANCE: Allowance = { perPost: 20, perDay: 300 };

/** The actor's allowance here, or null when they may not attach images at all (anonymous, suspended, banned). */
export function attachmentAllowance(access: CommunityAccess): Allowance | null {
  if (!can(access, "post.attach")) return null;
  if (isStaffRole(access.role) || (access.role !== null && MODERATORS.includes(access.role))) return STAFF_ALLOWANCE;
  const { level } = rankFor(access.ranks, access.standing.kudos);
  return ALLOWANCE_BY_LEVEL[Math.min(level, ALLOWANCE_BY_LEVEL.length - 1)];
}
