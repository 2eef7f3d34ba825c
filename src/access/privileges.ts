import type { Role } from "../db/schema.ts";
import { forbidden } from "../core/errors.ts";
import { assertNotSuspended, isParticipant, suspensionOf, type CommunityAccess } from "./access.ts";

/**
 * A privilege is granted to any participant, to the owner of the object, to some roles, to members
 * with enough kudos, or to champions. A suspended actor loses it unless the rule says otherwise.
 * Kept as data so the permission matrix can enumerate every rule.
 */
export interface Rule {
  anyParticipant?: boolean;
  owner?: boolean;
  roles?: readonly Role[];
  /** Refused to the owner even when otherwise granted (no voting on one's own posts). */
  notOwner?: boolean;
  /** Also granted from this many kudos (the default; each community may set its own threshold). */
  kudos?: number;
  /** Also granted to members of the champions program. */
  champions?: boolean;
  /** Still granted while suspended: reading, following, one's own ledger. */
  whileSuspended?: boolean;
}

/**
 * Every privilege of every domain. Each domain declares its table with `definePrivileges` and
 * merges its names into this interface; the composition root installs the tables.
 */
// biome-ignore lint/suspicious/noEmptyInterface: the domains' privilege tables merge their names into it
export interface Privileges {}
export type Privilege = keyof Privileges & string;
export type PrivilegeTable = Readonly<Record<string, Rule>>;

export function definePrivileges<const T extends Record<string, Rule>>(table: T): T {
  return table;
}

let rules: Readonly<Record<string, Rule>> = {};

/** Merges the domains' tables into the one registry `can()` reads; a name declared twice is a mistake. */
export function installPrivileges(tables: readonly PrivilegeTable[]): void {
  const merged: Record<string, Rule> = {};
  for (const table of tables) {
    for (const [name, rule] of Object.entries(table)) {
      if (name in merged) throw new Error(`Privilege ${name} is declared twice`);
      merged[name] = rule;
    }
  }
  rules = merged;
}

/** The installed registry, for the permission matrix and the settings of kudos thresholds. */
export function privilegeRules(): Readonly<Record<Privilege, Rule>> {
  return rules as Readonly<Record<Privilege, Rule>>;
}

function ruleOf(privilege: Privilege): Rule {
  const rule = rules[privilege];
  if (!rule) throw new Error(`Unknown privilege ${privilege}: is its table installed?`);
  return rule;
}

/** Privileges members can earn with kudos, with their default thresholds. */
export function defaultThresholds(): Readonly<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, rule] of Object.entries(rules)) if (rule.kudos !== undefined) out[name] = rule.kudos;
  return out;
}

/** The kudos this community asks for a level-gated privilege. */
export function kudosThreshold(access: CommunityAccess, privilege: Privilege): number {
  return access.standing.thresholds[privilege] ?? ruleOf(privilege).kudos ?? Number.POSITIVE_INFINITY;
}

/** May the actor do this, in this community, to an object owned by `ownerId` (if any)? */
export function can(access: CommunityAccess, privilege: Privilege, ownerId?: number): boolean {
  if (!isParticipant(access)) return false;
  const rule = ruleOf(privilege);
  if (!rule.whileSuspended && suspensionOf(access)) return false;
  const isOwner = ownerId !== undefined && ownerId === access.actor!.id;
  if (rule.notOwner && isOwner) return false;
  if (rule.anyParticipant) return true;
  if (rule.owner && isOwner) return true;
  if (access.role !== null && rule.roles?.includes(access.role)) return true;
  if (rule.champions && access.standing.champion) return true;
  return rule.kudos !== undefined && access.standing.kudos >= kudosThreshold(access, privilege);
}

/**
 * Refuses what `can()` refuses: a suspended member is told the end and reason of their suspension
 * (unless the rule holds while suspended), anyone else gets `message`.
 */
export function requirePrivilege(access: CommunityAccess, privilege: Privilege, message: string, ownerId?: number) {
  if (can(access, privilege, ownerId)) return;
  if (!ruleOf(privilege).whileSuspended) assertNotSuspended(access);
  throw forbidden(message);
}

/** Champions-only categories (and their names) are for champions and staff. */
export function canSeeCategory(access: CommunityAccess, category: { championsOnly?: number | null }): boolean {
  return !category.championsOnly || can(access, "category.champions");
}
