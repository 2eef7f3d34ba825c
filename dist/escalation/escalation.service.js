import { STAFF_ROLES } from "../access/access.js";
import { conflict, forbidden, validationFailed } from "../core/errors.js";
import { recordAudit } from "../audit/audit.js";
import { notify } from "../notifications/index.js";
import { topicStatus, topicWithAccess, toPublicTopic, topicsByIds } from "../topics/index.js";
import { clearEscalated, markEscalated } from "../topics/index.js";
import { transaction } from "../core/transaction.js";
import { queueWebhook } from "./webhooks.js";
import { can } from "../access/privileges.js";
/**
 * Escalation: a topic enters the staff queue (a support case), its status becomes "escalated", the
 * asker is told and the community's webhook (if any) receives it. SLA timers call escalateTopic;
 * staff escalate, de-escalate, assign, take notes and resolve through the functions below, each
 * in one transaction with its audit record.
 */
/** Opens the topic's case in the staff queue, or reopens a resolved one (it then waits from now). */
export async function openCase(ctx, topic, reason) {
    const existing = await ctx.db
        .selectFrom("supportCases")
        .select("resolvedAt")
        .where("topicId", "=", topic.id)
        .executeTakeFirst();
    const now = ctx.clock.now();
    if (!existing) {
        await ctx.db
            .insertInto("supportCases")
            .values({
            topicId: topic.id,
            communityId: topic.communityId,
            reason,
            openedAt: now,
            assignedTo: null,
            resolvedAt: null,
            resolvedBy: null,
            resolution: null,
        })
            .execute();
        return;
    }
    const reopen = existing.resolvedAt !== null ? { openedAt: now, resolvedAt: null, resolvedBy: null, resolution: null } : {};
    await ctx.db
        .updateTable("supportCases")
        .set({ reason, ...reopen })
        .where("topicId", "=", topic.id)
        .execute();
}
/**
 * Escalates a topic unless it is solved or already escalated; returns whether it did. Pass a
 * transaction: the status, the case, the asker's notification and the webhook delivery commit together.
 */
export async function escalateTopic(ctx, topicId, reason, actor) {
    const now = ctx.clock.now();
    const row = (await topicsByIds(ctx, [topicId])).get(topicId);
    if (!row || !(await markEscalated(ctx, row)))
        return false;
    const community = await ctx.db
        .selectFrom("communities")
        .select(["id", "slug", "name"])
        .where("id", "=", row.communityId)
        .executeTakeFirstOrThrow();
    const topic = toPublicTopic({ ...row, escalatedAt: now }, community);
    await openCase(ctx, row, reason);
    await notify(ctx, {
        kind: "escalated",
        userIds: [row.authorId],
        communityId: row.communityId,
        topicId,
        actorId: actor?.id ?? null,
        eventKey: `escalated:${topicId}:${now}`,
        data: { title: row.title, url: topic.url },
    });
    await queueWebhook(ctx, row.communityId, topicId, "topic.escalated", {
        community: community,
        topic: { ...topic, url: ctx.baseUrl + topic.url },
        escalation: {
            reason,
            escalatedAt: new Date(now).toISOString(),
            by: actor ? { id: actor.id, name: actor.name } : null,
        },
    });
    return true;
}
async function staffTopic(deps, topicId, actor) {
    const { row, access } = await topicWithAccess(deps, topicId, actor);
    if (!can(access, "queue.work"))
        throw forbidden("Only staff can do this.");
    return { row, access };
}
async function openCaseOf(db, topicId) {
    return db
        .selectFrom("supportCases")
        .selectAll()
        .where("topicId", "=", topicId)
        .where("resolvedAt", "is", null)
        .executeTakeFirst();
}
/** Staff escalate by hand (idempotent); a solved topic cannot be escalated. */
export async function escalate(deps, topicId, actor, note) {
    const { row } = await staffTopic(deps, topicId, actor);
    if (row.acceptedReplyId !== null)
        throw conflict("A solved topic cannot be escalated.");
    await transaction(deps, async (tx) => {
        const done = await escalateTopic({ ...tx, baseUrl: deps.config.baseUrl }, topicId, "manual", actor);
        if (done)
            await recordAudit(tx, {
                communityId: row.communityId,
                actorId: actor.id,
                action: "topic.escalate",
                targetType: "topic",
                targetId: topicId,
                details: { note },
            });
    });
    deps.wakeJobs?.();
    return { status: "escalated" };
}
/**
 * Takes a topic out of the staff queue: no longer escalated, its case closed. `resolution` makes it
 * a resolution (kept with the case), without it a de-escalation back to the crowd.
 */
async function closeCase(deps, topicId, actor, action, resolution) {
    const { row } = await staffTopic(deps, topicId, actor);
    const open = await openCaseOf(deps.db, topicId);
    if (!open && row.escalatedAt === null)
        throw conflict("This topic is not in the staff queue.");
    const now = deps.clock.now();
    await deps.db.transaction().execute(async (trx) => {
        await clearEscalated({ db: trx }, topicId);
        await trx
            .updateTable("supportCases")
            .set({ resolvedAt: now, resolvedBy: actor.id, resolution })
            .where("topicId", "=", topicId)
            .where("resolvedAt", "is", null)
            .execute();
        await recordAudit({ db: trx, clock: deps.clock }, {
            communityId: row.communityId,
            actorId: actor.id,
            action,
            targetType: "topic",
            targetId: topicId,
            details: resolution ? { resolution } : {},
        });
    });
    return { status: topicStatus((await topicsByIds(deps, [topicId])).get(topicId)) };
}
export const deescalate = (deps, topicId, actor) => closeCase(deps, topicId, actor, "topic.deescalate", null);
export const resolve = (deps, topicId, actor, resolution) => closeCase(deps, topicId, actor, "case.resolve", resolution);
/** Staff members of a community (assignable), by name. */
export async function staffMembers(db, communityId) {
    return db
        .selectFrom("memberships")
        .innerJoin("users", "users.id", "memberships.userId")
        .select(["users.id", "users.name"])
        .where("memberships.communityId", "=", communityId)
        .where("memberships.role", "in", STAFF_ROLES)
        .orderBy("users.name")
        .execute();
}
export async function assign(deps, topicId, actor, userId) {
    const { row } = await staffTopic(deps, topicId, actor);
    if (!(await openCaseOf(deps.db, topicId)))
        throw conflict("This topic is not in the staff queue.");
    const staff = await staffMembers(deps.db, row.communityId);
    const assignee = userId === null ? null : staff.find((s) => s.id === userId);
    if (userId !== null && !assignee)
        throw validationFailed({ userId: "Assign the case to a staff member of this community." });
    await deps.db.transaction().execute(async (trx) => {
        await trx.updateTable("supportCases").set({ assignedTo: userId }).where("topicId", "=", topicId).execute();
        await recordAudit({ db: trx, clock: deps.clock }, {
            communityId: row.communityId,
            actorId: actor.id,
            action: "case.assign",
            targetType: "topic",
            targetId: topicId,
            details: { assignee: userId },
        });
    });
    return { assignee: assignee ?? null };
}
/** Internal notes on a topic: staff only, never in any member-facing response. */
export async function listNotes(deps, topicId, actor) {
    await staffTopic(deps, topicId, actor);
    const rows = await deps.db
        .selectFrom("supportNotes")
        .innerJoin("users", "users.id", "supportNotes.authorId")
        .select([
        "supportNotes.id",
        "supportNotes.body",
        "supportNotes.createdAt",
        "users.id as authorId",
        "users.name as authorName",
    ])
        .where("supportNotes.topicId", "=", topicId)
        .orderBy("supportNotes.id")
        .execute();
    return rows.map((r) => ({
        id: r.id,
        body: r.body,
        author: { id: r.authorId, name: r.authorName },
        createdAt: new Date(Number(r.createdAt)).toISOString(),
    }));
}
export async function addNote(deps, topicId, actor, body) {
    await staffTopic(deps, topicId, actor);
    const note = await deps.db
        .insertInto("supportNotes")
        .values({ topicId, authorId: actor.id, body, createdAt: deps.clock.now() })
        .returning(["id", "createdAt"])
        .executeTakeFirstOrThrow();
    return {
        id: note.id,
        body,
        author: { id: actor.id, name: actor.name },
        createdAt: new Date(Number(note.createdAt)).toISOString(),
    };
}
/** Cases with their assignee's name, for the queue and the case page. */
export function casesOf(db) {
    return db
        .selectFrom("supportCases")
        .leftJoin("users as assignee", "assignee.id", "supportCases.assignedTo")
        .select([
        "supportCases.topicId",
        "supportCases.reason",
        "supportCases.openedAt",
        "supportCases.resolvedAt",
        "supportCases.resolution",
        "supportCases.assignedTo",
        "assignee.name as assigneeName",
    ]);
}
export function toPublicCase(row) {
    const iso = (ms) => (ms === null ? null : new Date(Number(ms)).toISOString());
    return {
        reason: row.reason,
        openedAt: iso(row.openedAt),
        resolvedAt: iso(row.resolvedAt),
        /** What staff did (internal). */
        resolution: row.resolution,
        assignee: row.assignedTo ? { id: row.assignedTo, name: row.assigneeName ?? "" } : null,
    };
}
/** The case of a topic for staff: its state in the queue, if any. */
export async function caseOf(deps, access, topicId) {
    if (!can(access, "queue.work"))
        throw forbidden("Only staff can do this.");
    const row = await casesOf(deps.db).where("supportCases.topicId", "=", topicId).executeTakeFirst();
    return row ? toPublicCase(row) : null;
}
/** The case page of a topic for staff: the topic, its case (if any), the internal notes and who can be assigned. */
export async function caseFile(deps, topicId, actor) {
    const { row, access } = await staffTopic(deps, topicId, actor);
    const [supportCase, notes, staff] = await Promise.all([
        caseOf(deps, access, topicId),
        listNotes(deps, topicId, actor),
        staffMembers(deps.db, access.community.id),
    ]);
    return { community: access.community, topic: toPublicTopic(row, access.community), supportCase, notes, staff };
}
