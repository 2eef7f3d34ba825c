import type { Db } from "../db/database.ts";
import type { Clock } from "../core/clock.ts";

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
