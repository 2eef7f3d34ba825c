import { type CommunityAccess, STAFF_AND_MODERATORS } from "../access/access.ts";
import { can, type Privilege } from "../access/privileges.ts";
import type { Role } from "../db/schema.ts";
import type { ModerationSettings } from "./moderation.settings.ts";

/** Who may do what in moderation, as small pure functions over the actor's access and standing. */

export const REVIEW_ACTIONS = ["approve", "hide", "delete", "edit", "warn"] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** The privilege each review-queue action needs. */
export const REVIEW_ACTION_PRIVILEGE: Readonly<Record<ReviewAction, Privilege>> = {
  approve: "review.queue",
  hide: "review.queue",
  edit: "review.queue",
  delete: "post.delete",
  warn: "member.warn",
};

export function canReview(access: CommunityAccess, action: ReviewAction): boolean {
  return can(access, "review.queue") && can(access, REVIEW_ACTION_PRIVILEGE[action]);
}

/**
 * Nobody judges their own post: resolving its review item, approving or restoring it would cancel
 * the community's flags or skip the screening, so someone else decides. Admins may (a community can
 * have a single admin); the audit log marks it. Hiding one's own post only takes it down: allowed,
 * and so is restoring it when they hid it themselves (moderation.posts `hiddenByItsAuthor`).
 */
export function mayJudgePost(access: CommunityAccess, post: { authorId: number }): boolean {
  return post.authorId !== access.actor?.id || access.role === "admin";
}

/** Staff, moderators and champions post without approval or spam screening. */
export function exemptFromScreening(access: CommunityAccess): boolean {
  return (access.role !== null && STAFF_AND_MODERATORS.includes(access.role)) || access.standing?.champion === true;
}

/** Flags from the team, champions and members with enough kudos count toward hiding a post. */
export function isTrustedFlagger(
  access: CommunityAccess,
  settings: Pick<ModerationSettings, "trustedFlaggerKudos">,
): boolean {
  return exemptFromScreening(access) || (access.standing?.kudos ?? 0) >= settings.trustedFlaggerKudos;
}

/**
 * Moderators suspend, remove and ban members; only admins do it to staff and moderators. Moderators
 * warn staff and fellow moderators too. To admins and to oneself nobody does any of it.
 */
export function canActOnMember(
  access: CommunityAccess,
  privilege: "member.suspend" | "member.remove" | "member.warn",
  target: { id: number; role: Role; isPlatformAdmin: boolean },
): boolean {
  if (!can(access, privilege) || target.id === access.actor?.id || target.isPlatformAdmin) return false;
  if (target.role === "admin") return false;
  return target.role === "member" || privilege === "member.warn" || access.role === "admin";
}
