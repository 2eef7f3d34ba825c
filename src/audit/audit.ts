import type { Db } from "../db/database.ts";
import type { Clock } from "../core/clock.ts";
import type { Deps } from "../core/deps.ts";
import { transaction } from "../core/transaction.ts";
import { patchSection } from "../db/settings.ts";

export interface AuditEntry {
  communityId: number | null;
  actorId: number | null;
  /** Dotted name of what was done: "topic.lock", "member.suspend", "helper.approve", ... */
  action: string;
  targetType: string;
  targetId: number | null;
  details?: Record<string, unknown>;
}

/**
 * Records a moderator or admin action. Pass the transaction of the action itself, so the
 * action and its record commit together; the log is append-only.
 */
export async function recordAudit(ctx: { db: Db; clock: Clock }, entry: AuditEntry): Promise<void> {
  await ctx.db
    .insertInto("auditLog")
    .values({
      communityId: entry.communityId,
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      details: JSON.stringify(entry.details ?? {}),
      createdAt: ctx.clock.now(),
    })
    .execute();
}

/** Who acts on a community: its access as the services hold it (the actor is signed in). */
type CommunityActor = { community: { id: number }; actor: { id: number } | null };

/**
 * Records an admin's action on the community itself (its creation, settings, webhook): the community is both
 * where and what. Pass the transaction of the action.
 */
export function recordCommunityAudit(
  tx: { db: Db; clock: Clock },
  access: CommunityActor,
  action: string,
  details: Record<string, unknown>,
): Promise<void> {
  return recordAudit(tx, {
    communityId: access.community.id,
    actorId: access.actor!.id,
    action,
    targetType: "community",
    targetId: access.community.id,
    details,
  });
}

/** What an admin's change to a settings section is recorded as. */
type SettingsChanged<Section extends string> = `settings.${Section}`;

/**
 * Records an admin's change to a section of the community's settings, with the change as sent. Pass the
 * transaction of the change.
 */
export function recordSettingsChange<Section extends string>(
  tx: { db: Db; clock: Clock },
  access: CommunityActor,
  action: SettingsChanged<Section>,
  change: unknown,
): Promise<void> {
  return recordCommunityAudit(tx, access, action, { change });
}

/**
 * An admin's change to a section of the community's settings (patchSection) and its audit record,
 * with the change as sent, in one transaction. The action is spelt out by each caller (always
 * `settings.<section>`), so the audit log's labels can be checked against the source.
 */
export function changeSettingsAudited<Section extends string, T>(
  deps: Deps,
  access: CommunityActor,
  change: {
    section: Section;
    auditAction: SettingsChanged<Section>;
    current: (db: Db) => Promise<T>;
    patch: unknown;
    parse?: (merged: T) => T;
  },
): Promise<T> {
  const communityId = access.community.id;
  return transaction(deps, async (tx) => {
    const where = { communityId, section: change.section, now: deps.clock.now() };
    const after = await patchSection(tx, where, change.current, change.patch, change.parse);
    await recordSettingsChange(tx, access, change.auditAction, change.patch);
    return after;
  });
}

export async function listAudit(db: Db, communityId: number, options: { before?: number; limit: number }) {
  let query = db
    .selectFrom("auditLog")
    .leftJoin("users as actor", "actor.id", "auditLog.actorId")
    .select([
      "auditLog.id",
      "auditLog.action",
      "auditLog.targetType",
      "auditLog.targetId",
      "auditLog.details",
      "auditLog.createdAt",
      "auditLog.actorId",
      "actor.name as actorName",
    ])
    .where("auditLog.communityId", "=", communityId)
    .orderBy("auditLog.id", "desc")
    .limit(options.limit);
  if (options.before) query = query.where("auditLog.id", "<", options.before);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    target: { type: r.targetType, id: r.targetId },
    actor: r.actorId ? { id: r.actorId, name: r.actorName ?? "" } : null,
    details: JSON.parse(r.details) as Record<string, unknown>,
    createdAt: new Date(r.createdAt).toISOString(),
  }));
}
