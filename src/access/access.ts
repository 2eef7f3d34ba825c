import { sql, type Expression, type SqlBool } from "kysely";
import type { Actor } from "../core/deps.ts";
import type { Community, Role } from "../db/schema.ts";
import type { Rank } from "./trust-levels.ts";
import { AppError } from "../core/errors.ts";

/** What reputation and moderation know about the actor in one community. */
export interface Standing {
  kudos: number;
  champion: boolean;
  suspendedUntil: number | null;
  suspensionReason: string | null;
  /** Removed and banned by a moderator: reads what the public reads, takes part in nothing, cannot join. */
  banned: boolean;
  /** The community's kudos threshold per level-gated privilege (the registry's defaults where unset). */
  thresholds: Readonly<Record<string, number>>;
  /** When it was loaded: a suspension ends by itself. */
  at: number;
}

/**
 * The actor's access to one community, loaded once per request by the communities domain
 * (`communityAccess`), always with their standing: every "may this person do or see this?"
 * question is answered from it.
 */
export interface CommunityAccess {
  community: Pick<Community, "id" | "slug" | "name" | "visibility"> & Partial<Community>;
  actor: Actor | null;
  /** Membership role; a platform admin counts as admin everywhere. */
  role: Role | null;
  standing: Standing;
  /** The community's ranks, lowest first (for showing authors' ranks). */
  ranks: readonly Rank[];
}

export const MODERATORS: readonly Role[] = ["moderator", "admin"];
export const STAFF_AND_MODERATORS: readonly Role[] = ["staff", "moderator", "admin"];
/** Roles that speak for the company: their replies are official, they answer staff-only and private categories. */
export const STAFF_ROLES: readonly Role[] = ["staff", "admin"];

export function isStaffRole(role: Role | null): boolean {
  return role !== null && STAFF_ROLES.includes(role);
}

/** The role a member's membership row gives them in a community: a platform admin is admin in every one. */
export function memberRoleOf(actor: Pick<Actor, "isPlatformAdmin"> | null, memberRole?: Role | null): Role | null {
  return actor?.isPlatformAdmin ? "admin" : (memberRole ?? null);
}

export function canView(access: Pick<CommunityAccess, "community" | "role">): boolean {
  return access.community.visibility === "public" || access.role !== null;
}

/**
 * Logged in, not banned, and a member where membership is required; public communities let
 * anyone take part.
 */
export function isParticipant(access: CommunityAccess): boolean {
  return access.actor !== null && !access.standing.banned && canView(access);
}

/**
 * Public communities can be joined by any signed-in visitor they have not banned; private ones
 * only by an admin's invitation.
 */
export function canJoin(access: CommunityAccess): boolean {
  return (
    access.actor !== null && access.role === null && !access.standing.banned && access.community.visibility === "public"
  );
}

/** The actor's running suspension in this community, or null. */
export function suspensionOf(access: CommunityAccess): { until: number; reason: string } | null {
  const s = access.standing;
  if (s.suspendedUntil === null || s.suspendedUntil <= s.at) return null;
  return { until: s.suspendedUntil, reason: s.suspensionReason ?? "" };
}

/**
 * SQL: a membership's `suspendedUntil` column (a reference such as `sql.ref("m.suspendedUntil")`)
 * does not hold a running suspension at `now`, by the same rule as `suspensionOf`: it ends by itself.
 */
export function notSuspendedAt(suspendedUntil: Expression<unknown>, now: number): Expression<SqlBool> {
  return sql<SqlBool>`(${suspendedUntil} is null or ${suspendedUntil} <= ${now})`;
}

/**
 * The refusal a suspended member gets, with the end of the suspension and its reason: in English for
 * the API, and for pages in the reader's language (error pages and forms show the explanation).
 */
function suspendedError(suspension: { until: number; reason: string }): AppError {
  const until = `${new Date(suspension.until).toISOString().replace("T", " ").slice(0, 16)} UTC`;
  return new AppError(
    "forbidden",
    `You are suspended from this community until ${until}. Reason: ${suspension.reason}`,
    undefined,
    { key: "post.suspended", params: { until, reason: suspension.reason } },
  );
}

export function assertNotSuspended(access: CommunityAccess): void {
  const suspension = suspensionOf(access);
  if (suspension) throw suspendedError(suspension);
}
