import { sql } from "kysely";
import type { Actor, Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { Clock } from "../core/clock.ts";
import type { SupportCaseReason } from "../db/schema.ts";
import type { ResolveInput } from "./escalation.schema.ts";
import type { CommunityAccess } from "../access/access.ts";
import { notSuspendedAt, STAFF_ROLES } from "../access/access.ts";
import { conflict, forbidden, validationFailed } from "../core/errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { notify } from "../notifications/index.ts";
import { SOLVABLE_KINDS, topicStatus, topicWithAccess, toPublicTopic, topicsByIds } from "../topics/index.ts";
import { accept, clearEscalated, createReply, lockTopicAsItIs, lockTopics, markEscalated } from "../topics/index.ts";
import { transaction, type Tx } from "../core/transaction.ts";

import { queueWebhook, webhookSubject } from "./webhooks.ts";
import "./escalation.notifications.ts";
import { ticketOf } from "./helpdesk.tickets.ts";
import { can } from "../access/privileges.ts";
import { iso } from "../lib/iso-time.ts";

type Ctx = { db: Db; clock: Clock };

/**
 * Escalation: a topic enters the staff queue (a support case), its status becomes "escalated", the
 * asker is told and the community's webhook (if any) receives it. SLA timers call escalateTopic;
 * staff escalate, de-escalate, assign, take notes and resolve through the functions below, each
 * in one transaction with its audit record.
 */

/**
 * Opens the topic's case in the staff queue, or reopens a resolved one: it then waits from now, and
 * unassigned (whoever had it before may be gone or busy elsewhere).
 */
export async function openCase(
  ctx: Ctx,
  topic: { id: number; communityId: number },
  reason: SupportCaseReason,
): Promise<void> {
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
  const reopen =
    existing.resolvedAt !== null
      ? { openedAt: now, assignedTo: null, resolvedAt: null, resolvedBy: null, resolution: null }
      : {};
  await ctx.db
    .updateTable("supportCases")
    .set({ reason, ...reopen })
    .where("topicId", "=", topic.id)
    .execute();
}

/**
 * A topic that came into a staff-only or private category enters the staff queue, as one posted
 * there does; a case it has already (open, or resolved by staff) stays as it is.
 */
export async function queueForStaff(ctx: Ctx, topic: { id: number; communityId: number }): Promise<void> {
  await ctx.db
    .insertInto("supportCases")
    .values({
      topicId: topic.id,
      communityId: topic.communityId,
      reason: "staff_only",
      openedAt: ctx.clock.now(),
      assignedTo: null,
      resolvedAt: null,
      resolvedBy: null,
      resolution: null,
    })
    .onConflict((oc) => oc.column("topicId").doNothing())
    .execute();
}

/**
 * A category made staff-only or private: its visible topics without a solution wait in the staff
 * queue, as those posted or moved there do (members may no longer answer them). A topic with a case
 * keeps it as it is, resolved or not.
 */
export async function queueCategoryForStaff(ctx: Ctx, categoryId: number): Promise<void> {
  await ctx.db
    .insertInto("supportCases")
    .columns(["topicId", "communityId", "reason", "openedAt"])
    .expression((eb) =>
      eb
        .selectFrom("topics")
        .select([
          "topics.id",
          "topics.communityId",
          sql.lit("staff_only").as("reason"),
          sql<number>`cast(${ctx.clock.now()} as bigint)`.as("openedAt"),
        ])
        .where("topics.categoryId", "=", categoryId)
        .where("topics.moderationState", "=", "visible")
        .where("topics.acceptedReplyId", "is", null),
    )
    .onConflict((oc) => oc.column("topicId").doNothing())
    .execute();
}

/**
 * Escalates a topic unless it is solved or already escalated; returns whether it did. Pass a
 * transaction: the status, the case, the asker's notification and the webhook delivery commit together.
 */
export async function escalateTopic(
  ctx: Tx & { baseUrl: string },
  topicId: number,
  reason: SupportCaseReason,
  actor: { id: number; name: string } | null,
): Promise<boolean> {
  const now = ctx.clock.now();
  const row = (await topicsByIds(ctx, [topicId])).get(topicId);
  if (!row || !(await markEscalated(ctx, row))) return false;
  const subject = await webhookSubject(ctx, { ...row, escalatedAt: now }, ctx.baseUrl);
  await openCase(ctx, row, reason);
  await notify(ctx, {
    kind: "escalated",
    userIds: [row.authorId],
    communityId: row.communityId,
    topicId,
    actorId: actor?.id ?? null,
    eventKey: `escalated:${topicId}:${now}`,
    data: { title: row.title, url: `/c/${subject.community.slug}/t/${topicId}` },
  });
  await queueWebhook(ctx, row.communityId, topicId, "topic.escalated", {
    ...subject,
    escalation: {
      reason,
      escalatedAt: new Date(now).toISOString(),
      by: actor ? { id: actor.id, name: actor.name } : null,
    },
  });
  return true;
}

async function staffTopic(deps: Deps, topicId: number, actor: Actor) {
  const { row, access } = await topicWithAccess(deps, topicId, actor);
  if (!can(access, "queue.work")) throw forbidden("Only staff can do this.");
  return { row, access };
}

async function openCaseOf(db: Db, topicId: number) {
  return db
    .selectFrom("supportCases")
    .selectAll()
    .where("topicId", "=", topicId)
    .where("resolvedAt", "is", null)
    .executeTakeFirst();
}

/**
 * Staff escalate by hand (idempotent); a solved topic cannot be escalated, nor one moderation hid or
 * holds for review (its asker would be told, and the help desk sent what nobody may read), as the
 * deadlines never escalate one. Decided under the topic's lock: a topic solved, hidden, merged or
 * deleted since it was read is refused (409), not reported as escalated.
 */
export async function escalate(deps: Deps, topicId: number, actor: Actor, note?: string) {
  const { row } = await staffTopic(deps, topicId, actor);
  const solved = () => conflict("A solved topic cannot be escalated.");
  if (row.acceptedReplyId !== null) throw solved();
  await transaction(deps, async (tx) => {
    const now = await lockTopicAsItIs(tx, topicId);
    if (now.moderationState !== "visible")
      throw conflict("A hidden or held topic cannot be escalated: restore or approve it first.");
    const done = await escalateTopic({ ...tx, baseUrl: deps.config.baseUrl }, topicId, "manual", actor);
    // Refused: escalated already (idempotent), or solved meanwhile.
    if (!done && !(await topicsByIds(tx, [topicId])).get(topicId)?.escalatedAt) throw solved();
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
  return { status: "escalated" as const };
}

/** Why a case left the queue, as the case, the audit log and the help desk record it. */
export type CaseClosure =
  | { action: "topic.deescalate" }
  | { action: "case.resolve"; resolution: "public"; replyId: number; accepted: boolean }
  | { action: "case.resolve"; resolution: "private"; reason: string }
  | { action: "case.resolve"; resolution: "helpdesk"; ticketId: string };

/** The resolution texts the product writes itself (stored with the case, for the API and the audit log). */
const PUBLIC_CLOSURE = /^Public resolution: reply (\d+)$/;
const HELPDESK_CLOSURE = /^Ticket (.+) closed in the help desk$/s;

function closureText(closure: CaseClosure): string | null {
  if (closure.action === "topic.deescalate") return null;
  if (closure.resolution === "public") return `Public resolution: reply ${closure.replyId}`;
  if (closure.resolution === "private") return closure.reason;
  return `Ticket ${closure.ticketId} closed in the help desk`;
}

/**
 * A case's stored resolution read back, so a page words it in the reader's language: a public
 * resolution or a help-desk closure (written by closureText), or staff's own words (a private reason).
 */
export function readResolution(
  text: string,
): { kind: "public"; replyId: string } | { kind: "helpdesk"; ticketId: string } | { kind: "text"; text: string } {
  const reply = PUBLIC_CLOSURE.exec(text);
  if (reply) return { kind: "public", replyId: reply[1] };
  const ticket = HELPDESK_CLOSURE.exec(text);
  if (ticket) return { kind: "helpdesk", ticketId: ticket[1] };
  return { kind: "text", text };
}

/** Whether the asker already has a public answer: an accepted solution or a visible official reply. */
async function hasPublicAnswer(tx: Tx, topicId: number): Promise<boolean> {
  const row = await tx.db
    .selectFrom("topics")
    .select((eb) => [
      "topics.acceptedReplyId",
      eb
        .exists(
          eb
            .selectFrom("replies")
            .select("replies.id")
            .whereRef("replies.topicId", "=", "topics.id")
            .where("replies.official", "=", 1)
            .where("replies.moderationState", "=", "visible"),
        )
        .as("answered"),
    ])
    .where("topics.id", "=", topicId)
    .executeTakeFirst();
  return row !== undefined && (row.acceptedReplyId !== null || Boolean(row.answered));
}

/**
 * Takes a topic out of the staff queue in the caller's transaction: no longer escalated, its open
 * case closed with what was done, audited. A resolution made here is sent to the help desk as
 * `case.resolved`; one the help desk made (its ticket closed) is not sent back to it. The asker
 * hears that support handled it privately after a private resolution, or a help-desk closure
 * when the topic has no public answer (no accepted solution, no visible official reply).
 */
export async function closeCaseIn(
  tx: Tx & { baseUrl: string },
  row: Parameters<typeof webhookSubject>[1],
  actorId: number,
  closure: CaseClosure,
): Promise<void> {
  const now = tx.clock.now();
  const text = closureText(closure);
  await clearEscalated(tx, row.id);
  await tx.db
    .updateTable("supportCases")
    .set({ resolvedAt: now, resolvedBy: actorId, resolution: text })
    .where("topicId", "=", row.id)
    .where("resolvedAt", "is", null)
    .execute();
  await recordAudit(tx, {
    communityId: row.communityId,
    actorId,
    action: closure.action,
    targetType: "topic",
    targetId: row.id,
    details: text ? { resolution: text } : {},
  });
  if (closure.action !== "case.resolve") return;
  const subject = await webhookSubject(tx, { ...row, escalatedAt: null }, tx.baseUrl);
  const handledPrivately =
    closure.resolution === "private" || (closure.resolution === "helpdesk" && !(await hasPublicAnswer(tx, row.id)));
  if (handledPrivately)
    await notify(tx, {
      kind: "case_private",
      userIds: [row.authorId],
      communityId: row.communityId,
      topicId: row.id,
      actorId: null,
      eventKey: `case_private:${row.id}:${now}`,
      data: { title: row.title, url: `/c/${subject.community.slug}/t/${row.id}` },
    });
  if (closure.resolution === "helpdesk") return;
  const { action: _action, ...resolution } = closure;
  await queueWebhook(tx, row.communityId, row.id, "case.resolved", {
    ...subject,
    resolution: { ...resolution, resolvedAt: new Date(now).toISOString(), by: actorId },
  });
}

/**
 * Under the topic's row lock, whether it is still in the staff queue. Two staff actions at once
 * (two resolves, a resolve and a de-escalation) run one after the other, and the second is refused
 * before it writes anything (SQLite runs one writer at a time).
 */
export async function isQueuedIn(tx: Tx, topicId: number): Promise<boolean> {
  await lockTopics(tx, [topicId]);
  const topic = await tx.db.selectFrom("topics").select("escalatedAt").where("id", "=", topicId).executeTakeFirst();
  return topic !== undefined && (topic.escalatedAt !== null || (await openCaseOf(tx.db, topicId)) !== undefined);
}

/** Runs a staff action on a queued topic in one transaction, refused if the topic left the queue. */
async function inQueue<T>(deps: Deps, topicId: number, work: (tx: Tx) => Promise<T>): Promise<T> {
  return transaction(deps, async (tx) => {
    if (!(await isQueuedIn(tx, topicId))) throw conflict("This topic is not in the staff queue.");
    return work(tx);
  });
}

async function statusAfter(deps: Deps, topicId: number) {
  return topicStatus((await topicsByIds(deps, [topicId])).get(topicId)!);
}

/**
 * Posts a reply in the caller's transaction and, if asked, accepts it as the solution: both or
 * neither, so a refused acceptance (a held reply, a topic merged meanwhile) leaves no reply that a
 * retry would post again.
 */
export async function replyIn(deps: Deps, tx: Tx, topicId: number, actor: Actor, body: string, accepted: boolean) {
  const inTx = { ...deps, db: tx.db };
  const reply = await createReply(inTx, topicId, actor, body);
  if (accepted) await accept(inTx, topicId, actor, reply.id);
  return reply;
}

/** Back to the crowd: out of the staff queue, nothing resolved. */
export async function deescalate(deps: Deps, topicId: number, actor: Actor) {
  const { row } = await staffTopic(deps, topicId, actor);
  await inQueue(deps, topicId, (tx) =>
    closeCaseIn({ ...tx, baseUrl: deps.config.baseUrl }, row, actor.id, { action: "topic.deescalate" }),
  );
  return { status: await statusAfter(deps, topicId) };
}

/**
 * Staff resolve a case with a required choice: in public, an official reply the asker is notified
 * of (and, if asked, accepted as the solution); or privately with a reason, the asker told that
 * support handled it privately. Either way the help desk hears `case.resolved`. The reply and the
 * case's closing commit together: a refused reply leaves the case open, and of two staff members
 * resolving at once only the first posts.
 */
export async function resolveCase(deps: Deps, topicId: number, actor: Actor, input: ResolveInput) {
  const { row } = await staffTopic(deps, topicId, actor);
  if (input.resolution === "public" && input.accept && !SOLVABLE_KINDS.includes(row.kind))
    throw validationFailed({ accept: "Only questions and problems have a solution to accept." });
  const closure = await inQueue(deps, topicId, async (tx) => {
    let closure: Extract<CaseClosure, { action: "case.resolve" }>;
    if (input.resolution === "public") {
      const reply = await replyIn(deps, tx, topicId, actor, input.body, input.accept === true);
      closure = { action: "case.resolve", resolution: "public", replyId: reply.id, accepted: input.accept === true };
    } else {
      closure = { action: "case.resolve", resolution: "private", reason: input.reason };
    }
    // The help desk hears of the topic as the resolution left it (solved, with its new reply).
    const resolved = (await topicsByIds(tx, [topicId])).get(topicId) ?? row;
    await closeCaseIn({ ...tx, baseUrl: deps.config.baseUrl }, resolved, actor.id, closure);
    return closure;
  });
  deps.wakeJobs?.();
  return {
    status: await statusAfter(deps, topicId),
    resolution: input.resolution,
    ...(closure.resolution === "public" ? { replyId: closure.replyId } : {}),
  };
}

/** Staff members of a community who work the queue now (assignable): not suspended (`can` refuses them). */
export async function staffMembers(db: Db, communityId: number, now: number) {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.userId")
    .select(["users.id", "users.name"])
    .where("memberships.communityId", "=", communityId)
    .where("memberships.role", "in", STAFF_ROLES)
    .where(notSuspendedAt(sql.ref("memberships.suspendedUntil"), now))
    .orderBy("users.name")
    .execute();
}

export async function assign(deps: Deps, topicId: number, actor: Actor, userId: number | null) {
  const { row } = await staffTopic(deps, topicId, actor);
  if (!(await openCaseOf(deps.db, topicId))) throw conflict("This topic is not in the staff queue.");
  const staff = await staffMembers(deps.db, row.communityId, deps.clock.now());
  const assignee = userId === null ? null : staff.find((s) => s.id === userId);
  if (userId !== null && !assignee)
    throw validationFailed({ userId: "Assign the case to a staff member of this community." });
  await deps.db.transaction().execute(async (trx) => {
    // Only while the case is open: one resolved meanwhile keeps its assignee (409).
    const assigned = await trx
      .updateTable("supportCases")
      .set({ assignedTo: userId })
      .where("topicId", "=", topicId)
      .where("resolvedAt", "is", null)
      .executeTakeFirst();
    if (Number(assigned.numUpdatedRows) !== 1) throw conflict("This topic is not in the staff queue.");
    await recordAudit(
      { db: trx, clock: deps.clock },
      {
        communityId: row.communityId,
        actorId: actor.id,
        action: "case.assign",
        targetType: "topic",
        targetId: topicId,
        details: { assignee: userId },
      },
    );
  });
  return { assignee: assignee ?? null };
}

/** Internal notes on a topic: staff only, never in any member-facing response. */
export async function listNotes(deps: Deps, topicId: number, actor: Actor) {
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

export async function addNote(deps: Deps, topicId: number, actor: Actor, body: string) {
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

/**
 * Cases with their assignee's name, for the queue and the case page. A case counts as assigned only
 * while its assignee is staff of the community and not suspended (`now`): one demoted, removed, banned
 * or suspended since no longer works the queue, so the case shows (and filters) as unassigned instead
 * of waiting on them unseen.
 */
export function casesOf(db: Db, now: number) {
  return db
    .selectFrom("supportCases")
    .leftJoin("memberships as assigneeMembership", (join) =>
      join
        .onRef("assigneeMembership.userId", "=", "supportCases.assignedTo")
        .onRef("assigneeMembership.communityId", "=", "supportCases.communityId")
        .on("assigneeMembership.role", "in", STAFF_ROLES)
        .on(notSuspendedAt(sql.ref("assigneeMembership.suspendedUntil"), now)),
    )
    .leftJoin("users as assignee", "assignee.id", "assigneeMembership.userId")
    .select([
      "supportCases.topicId",
      "supportCases.reason",
      "supportCases.openedAt",
      "supportCases.resolvedAt",
      "supportCases.resolution",
      "assignee.id as assignedTo",
      "assignee.name as assigneeName",
    ]);
}

type CaseRow = Awaited<ReturnType<ReturnType<typeof casesOf>["executeTakeFirstOrThrow"]>>;

export function toPublicCase(row: CaseRow) {
  return {
    reason: row.reason,
    openedAt: iso(row.openedAt)!,
    resolvedAt: iso(row.resolvedAt),
    /** What staff did (internal). */
    resolution: row.resolution,
    assignee: row.assignedTo ? { id: row.assignedTo, name: row.assigneeName ?? "" } : null,
  };
}

/** The case of a topic for staff: its state in the queue, if any. */
export async function caseOf(deps: Deps, access: CommunityAccess, topicId: number) {
  if (!can(access, "queue.work")) throw forbidden("Only staff can do this.");
  const row = await casesOf(deps.db, deps.clock.now()).where("supportCases.topicId", "=", topicId).executeTakeFirst();
  return row ? toPublicCase(row) : null;
}

/** The case page of a topic for staff: the topic, its case (if any), the internal notes and who can be assigned. */
export async function caseFile(deps: Deps, topicId: number, actor: Actor) {
  const { row, access } = await staffTopic(deps, topicId, actor);
  const [supportCase, notes, staff, ticket] = await Promise.all([
    caseOf(deps, access, topicId),
    listNotes(deps, topicId, actor),
    staffMembers(deps.db, access.community.id, deps.clock.now()),
    ticketOf(deps.db, topicId),
  ]);
  return {
    community: access.community,
    topic: toPublicTopic(row, access.community),
    supportCase,
    notes,
    staff,
    ticket,
  };
}
