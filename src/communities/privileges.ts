import type { Community, Role } from "../db/schema.ts";
import type { Actor } from "../http/context.ts";

/** The actor's standing in one community, loaded once per request. */
export interface CommunityAccess {
  community: Pick<Community, "id" | "slug" | "name" | "visibility">;
  actor: Actor | null;
  /** Membership role; a platform admin counts as admin everywhere. */
  role: Role | null;
}

/**
 * A privilege is granted to any participant, to the owner of the object, or to some roles.
 * Kept as data so the permissions matrix test can enumerate every rule.
 */
interface Rule {
  anyParticipant?: boolean;
  owner?: boolean;
  roles?: readonly Role[];
  /** Refused to the owner even when otherwise granted (no voting on one's own posts). */
  notOwner?: boolean;
}

const MODERATORS: readonly Role[] = ["moderator", "admin"];
const STAFF_AND_MODERATORS: readonly Role[] = ["staff", "moderator", "admin"];

export const PRIVILEGES = {
  "topic.create": { anyParticipant: true },
  "topic.edit": { owner: true, roles: MODERATORS },
  "topic.accept": { owner: true, roles: STAFF_AND_MODERATORS },
  "topic.vote": { anyParticipant: true, notOwner: true },
  "topic.follow": { anyParticipant: true },
  "reply.create": { anyParticipant: true },
  "reply.edit": { owner: true, roles: MODERATORS },
  "reply.vote": { anyParticipant: true, notOwner: true },
  "comment.create": { anyParticipant: true },
  "category.create": { roles: ["admin"] },
  "member.setRole": { roles: ["admin"] },
} as const satisfies Record<string, Rule>;

export type Privilege = keyof typeof PRIVILEGES;

export function canView(access: CommunityAccess): boolean {
  return access.community.visibility === "public" || access.role !== null;
}

/** Logged in, and a member where membership is required; public communities let anyone take part. */
export function isParticipant(access: CommunityAccess): boolean {
  return access.actor !== null && canView(access);
}

/** Public communities can be joined by any signed-in visitor; private ones only by an admin's invitation. */
export function canJoin(access: CommunityAccess): boolean {
  return access.actor !== null && access.role === null && access.community.visibility === "public";
}

export function can(access: CommunityAccess, privilege: Privilege, ownerId?: number): boolean {
  if (!isParticipant(access)) return false;
  const rule: Rule = PRIVILEGES[privilege];
  const isOwner = ownerId !== undefined && ownerId === access.actor!.id;
  if (rule.notOwner && isOwner) return false;
  if (rule.anyParticipant) return true;
  if (rule.owner && isOwner) return true;
  return access.role !== null && (rule.roles?.includes(access.role) ?? false);
}

export function isStaffRole(role: Role | null): boolean {
  return role === "staff" || role === "admin";
}
