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

/**
 * An admin's change to a community's settings section: patchSection and its audit record
 * ("settings.<section>", with the change as sent) in one transaction.
 */
export function changeSettingsAudited<T>(
  deps: Deps,
  access: { community: { id: number }; actor: { id: number } | null },
  section: string,
  current: (db: Db) => Promise<T>,
  patch: unknown,
  parse?: (merged: T) => T,
): Promise<T> {
  const communityId = access.community.id;
  return transaction(deps, async (tx) => {
    const after = await patchSection(tx, { communityId, section, now: deps.clock.now() }, current, patch, parse);
    await recordAudit(tx, {
      communityId,
      actorId: access.actor!.id,
      action: `settings.${section}`,
      targetType: "community",
      targetId: communityId,
      details: { change: patch },
    });
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
