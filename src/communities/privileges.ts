import type { Community, Role } from "../db/schema.ts";
import type { Actor } from "../core/deps.ts";

/** The actor's standing in one community, loaded once per request. */
export interface CommunityAccess {
  community: Pick<Community, "id" | "slug" | "name" | "visibility">;
  actor: Actor | null;
  /** Membership role; a platform admin counts as admin everywhere. */
  role: Role | null;
  /**
   * Kudos, champion and suspension (loaded by reputation/reputation.standing.ts). Where absent the
   * actor counts as having no kudos and not being suspended, so level-gated privileges stay closed.
   */
  standing?: Standing;
}

/** What reputation and moderation know about the actor in one community. */
export interface Standing {
  kudos: number;
  champion: boolean;
  suspendedUntil: number | null;
  suspensionReason: string | null;
  /** The community's kudos threshold per level-gated privilege (defaults: KUDOS_THRESHOLDS). */
  thresholds: Readonly<Record<KudosPrivilege, number>>;
  /** When it was loaded: a suspension ends by itself. */
  at: number;
}

/**
 * A privilege is granted to any participant, to the owner of the object, to some roles, to members
 * with enough kudos, or to champions; a suspended actor loses it unless it says otherwise.
 * Kept as data so the permissions matrix tests can enumerate every rule.
 */
interface Rule {
  anyParticipant?: boolean;
  owner?: boolean;
  roles?: readonly Role[];
  /** Refused to the owner even when otherwise granted (no voting on one's own posts). */
  notOwner?: boolean;
  /** Also granted from the community's kudos threshold for it (KUDOS_THRESHOLDS holds the defaults). */
  byKudos?: boolean;
  /** Also granted to members of the champions program. */
  champions?: boolean;
  /** Still granted while suspended: it takes no part in discussions. */
  whileSuspended?: boolean;
}

const MODERATORS: readonly Role[] = ["moderator", "admin"];
const STAFF_AND_MODERATORS: readonly Role[] = ["staff", "moderator", "admin"];

const STAFF: readonly Role[] = ["staff", "admin"];

/** Reputation and moderation privileges (issue 4); test/moderation/privileges.test.ts is their matrix. */
export const TRUST_PRIVILEGES = {
  /** Links in posts; new members earn it with a little kudos. */
  "post.links": { roles: STAFF_AND_MODERATORS, byKudos: true, champions: true },
  "post.images": { roles: STAFF_AND_MODERATORS, byKudos: true, champions: true },
  /** Changing only the tags of someone else's topic. */
  "topic.retag": { owner: true, roles: STAFF_AND_MODERATORS, byKudos: true, champions: true },
  "topic.markDuplicate": { roles: MODERATORS, byKudos: true, champions: true },
  "post.flag": { anyParticipant: true, notOwner: true },
  /** See the review queue; approve, hide or edit what is in it. */
  "review.queue": { roles: MODERATORS, byKudos: true },
  "post.delete": { roles: MODERATORS },
  "post.hide": { roles: MODERATORS },
  "topic.lock": { roles: MODERATORS },
  "topic.move": { roles: MODERATORS },
  "topic.merge": { roles: MODERATORS },
  "member.warn": { roles: MODERATORS },
  "member.suspend": { roles: MODERATORS },
  /** A member's kudos ledger and reward balance. */
  "kudos.ledger": { owner: true, roles: STAFF_AND_MODERATORS, whileSuspended: true },
  "champion.enrol": { roles: STAFF_AND_MODERATORS },
  /** See and post in champions-only categories. */
  "category.champions": { roles: STAFF_AND_MODERATORS, champions: true },
  "reward.redeem": { anyParticipant: true },
  "reward.manage": { roles: STAFF },
  "reward.fulfil": { roles: STAFF },
  /** Kudos values, ranks, thresholds and moderation settings. */
  "community.configure": { roles: ["admin"] },
  "audit.view": { roles: ["admin"] },
} as const satisfies Record<string, Rule>;

export const PRIVILEGES = {
  "topic.create": { anyParticipant: true },
  /** Editing others' topics: moderators, champions and members from a kudos level. */
  "topic.edit": { owner: true, roles: MODERATORS, byKudos: true, champions: true },
  "topic.accept": { owner: true, roles: STAFF_AND_MODERATORS },
  "topic.vote": { anyParticipant: true, notOwner: true },
  "topic.follow": { anyParticipant: true, whileSuspended: true },
  "reply.create": { anyParticipant: true },
  "reply.edit": { owner: true, roles: MODERATORS, byKudos: true, champions: true },
  "reply.vote": { anyParticipant: true, notOwner: true },
  "comment.create": { anyParticipant: true },
  "category.create": { roles: ["admin"] },
  "member.setRole": { roles: ["admin"] },
  ...TRUST_PRIVILEGES,
} as const satisfies Record<string, Rule>;

type LevelGated<P> = P extends keyof typeof PRIVILEGES
  ? (typeof PRIVILEGES)[P] extends { byKudos: true }
    ? P
    : never
  : never;
/** Privileges members can earn with kudos. */
export type KudosPrivilege = LevelGated<keyof typeof PRIVILEGES>;

/** Default kudos per level-gated privilege; each community can set its own (reputation settings). */
export const KUDOS_THRESHOLDS: Readonly<Record<KudosPrivilege, number>> = {
  "post.links": 10,
  "post.images": 10,
  "topic.retag": 250,
  "topic.markDuplicate": 500,
  "topic.edit": 1000,
  "reply.edit": 1000,
  "review.queue": 2000,
};

export type Privilege = keyof typeof PRIVILEGES;

export function canView(access: CommunityAccess): boolean {
  return access.community.visibility === "public" || access.role !== null;
}

/** Logged in, and a member where membership is required; public communities let anyone take part. */
export function isParticipant(access: CommunityAccess): boolean {
  return access.actor !== null && canView(access);
}

/** Champions-only categories (and their names) are for champions and staff. */
export function canSeeCategory(access: CommunityAccess, category: { championsOnly?: number | null }): boolean {
  return !category.championsOnly || can(access, "category.champions");
}

/** Public communities can be joined by any signed-in visitor; private ones only by an admin's invitation. */
export function canJoin(access: CommunityAccess): boolean {
  return access.actor !== null && access.role === null && access.community.visibility === "public";
}

export function can(access: CommunityAccess, privilege: Privilege, ownerId?: number): boolean {
  if (!isParticipant(access)) return false;
  const rule: Rule = PRIVILEGES[privilege];
  if (!rule.whileSuspended && suspensionOf(access)) return false;
  const isOwner = ownerId !== undefined && ownerId === access.actor!.id;
  if (rule.notOwner && isOwner) return false;
  if (rule.anyParticipant) return true;
  if (rule.owner && isOwner) return true;
  if (access.role !== null && rule.roles?.includes(access.role)) return true;
  if (rule.champions && access.standing?.champion) return true;
  return rule.byKudos === true && (access.standing?.kudos ?? 0) >= kudosThreshold(access, privilege as KudosPrivilege);
}

/** The kudos this community asks for a level-gated privilege. */
export function kudosThreshold(access: CommunityAccess, privilege: KudosPrivilege): number {
  return access.standing?.thresholds[privilege] ?? KUDOS_THRESHOLDS[privilege];
}

/** The actor's running suspension in this community, or null. */
export function suspensionOf(access: CommunityAccess): { until: number; reason: string } | null {
  const s = access.standing;
  if (!s || s.suspendedUntil === null || s.suspendedUntil <= s.at) return null;
  return { until: s.suspendedUntil, reason: s.suspensionReason ?? "" };
}

/** Roles that speak for the company: their replies are official, they answer staff-only and private categories. */
export const STAFF_ROLES: readonly Role[] = ["staff", "admin"];

export function isStaffRole(role: Role | null): boolean {
  return role !== null && STAFF_ROLES.includes(role);
}
