import { isParticipant, STAFF_ROLES, type CommunityAccess } from "../communities/privileges.ts";
import type { CategoryScope, ModerationState, Role, TopicKind } from "../db/schema.ts";
import { SOLVABLE_KINDS } from "../topics/topics.policy.ts";
import type { TopicStatus } from "../topics/topics.schema.ts";

/** A community's routing parameters when its admins set none. */
export const ROUTING_DEFAULTS = {
  /** Experts a question is offered to at once (N). */
  experts: 3,
  /** Offer it to the next experts when none of these answered within this time. */
  rerouteAfterMinutes: 24 * 60,
  /** Experts holding this many open routed questions get no more (load balancing). */
  maxOpen: 5,
} as const;

/** Members without a topic or reply in the community for this long are not routed to. */
export const INACTIVE_AFTER_MS = 30 * 86_400_000;
/** Offers per question: the first experts, then the next ones twice at most. */
export const MAX_ROUNDS = 3;

/**
 * Routing and escalation privileges as data, like communities/privileges.ts (kept here because the
 * shared PRIVILEGES table is enumerated by the permissions matrix test). "Staff" are the roles
 * that speak for the company: staff and admins (platform admins count as admins).
 */
export const SUPPORT_PRIVILEGES = {
  /** Routing quality figures. */
  "stats.routing": STAFF_ROLES,
  /** The staff queue: list, assign, notes, escalate, de-escalate, resolve; webhook deliveries. */
  "queue.work": STAFF_ROLES,
  /** Routing parameters and the outgoing webhook. */
  "support.configure": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type SupportPrivilege = keyof typeof SUPPORT_PRIVILEGES;

export function canSupport(access: CommunityAccess, privilege: SupportPrivilege): boolean {
  return (
    isParticipant(access) &&
    access.role !== null &&
    (SUPPORT_PRIVILEGES[privilege] as readonly Role[]).includes(access.role)
  );
}

/**
 * Questions the crowd is asked to answer: solvable, in a crowd category, neither solved nor with
 * staff nor abandoned, and open to replies (not held for review, hidden or locked).
 */
export function isRoutable(topic: {
  kind: TopicKind;
  categoryScope: CategoryScope | null;
  status: TopicStatus;
  moderationState: ModerationState;
  locked: number;
}): boolean {
  return (
    SOLVABLE_KINDS.includes(topic.kind) &&
    (topic.categoryScope ?? "crowd") === "crowd" &&
    (topic.status === "open" || topic.status === "answered") &&
    topic.moderationState === "visible" &&
    topic.locked !== 1
  );
}
