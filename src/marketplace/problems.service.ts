import type { Actor, Deps } from "../core/deps.ts";
import { hitRateLimit } from "../lib/rate-limit.ts";
import type { Db } from "../db/database.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { recordAudit } from "../audit/audit.ts";
import { communityAccess } from "../communities/index.ts";
import { AppError, conflict, fieldRefused, forbidden, notFound } from "../core/errors.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { lockRows } from "../db/row-locks.ts";
import { announce, bookingFor } from "./bookings.service.ts";
import { PROBLEM_UPHELD_REASON, PROBLEM_WINDOW_DAYS, problemKinds } from "./marketplace.policy.ts";
import type { ProblemInput, ResolveProblemInput } from "./marketplace.schema.ts";
import {
  findProblem,
  noShowCounts,
  problemsOfCommunity,
  type ProblemRow,
  toPublicProblem,
} from "./problems.queries.ts";

const alreadyOpen = () => conflict("A problem reported with this booking is still open; staff will answer it first.");

/** Why nothing may be reported with the booking now (409, explained in the reader's language for forms). */
function notReportable(b: { status: string; startsAt: number }, now: number): AppError {
  if ((b.status === "accepted" || b.status === "requested") && now < b.startsAt)
    return new AppError("conflict", "You can report a problem once the appointment has begun.", undefined, {
      key: "market.error.problemTooEarly",
    });
  if (b.status === "completed")
    return new AppError(
      "conflict",
      `Problems with a completed booking are reported within ${PROBLEM_WINDOW_DAYS} days of its completion.`,
      undefined,
      { key: "market.error.problemTooLate", params: { days: PROBLEM_WINDOW_DAYS } },
    );
  return new AppError("conflict", "Problems are reported with accepted or completed bookings.", undefined, {
    key: "market.error.problemNotReportable",
  });
}

/**
 * The customer or the helper reports a problem with a booking, to staff: once an accepted booking's
 * appointment has begun, or within PROBLEM_WINDOW_DAYS of its completion (then not a no-show). One
 * open report per booking; both parties are told.
 */
export async function reportProblem(deps: Deps, bookingId: number, actor: Actor, input: ProblemInput) {
  const { row, party, facts } = await bookingFor(deps, bookingId, actor);
  if (party !== "customer" && party !== "helper")
    throw forbidden("Only the customer and the helper of a booking report a problem with it.");
  if (facts.openProblem) throw alreadyOpen();
  const now = deps.clock.now();
  const kinds = problemKinds(facts, now);
  if (!kinds.length) throw notReportable(row, now);
  if (!kinds.includes(input.kind))
    throw fieldRefused(
      "kind",
      "The visit of a completed booking took place: report the work, the payment or something else.",
      "market.error.problemNoShowCompleted",
    );
  // Each report notifies both parties and waits in staff's queue: limited like posts.
  await hitRateLimit(deps.db, `booking-problem:${actor.id}`, deps.config.rateLimits.post, now);
  const id = await deps.db
    .transaction()
    .execute(async (trx) => {
      const { id } = await trx
        .insertInto("bookingProblems")
        .values({
          bookingId,
          communityId: row.communityId,
          reporterId: actor.id,
          kind: input.kind,
          details: input.details,
          status: "open",
          createdAt: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      // Both parties: the other one hears of it, the reporter keeps a receipt.
      await announce(trx, deps, bookingId, "booking_problem", null, `problem:${id}`, input.details.slice(0, 200));
      return id;
    })
    .catch((error) => {
      // Two reports racing past the check above meet the unique index on the open report.
      throw isUniqueViolation(error) ? alreadyOpen() : error;
    });
  deps.wakeJobs?.();
  return toPublicProblem((await findProblem(deps.db, id))!);
}

/** A community's reported problems, open (the queue) or resolved, for staff, with each customer's no-shows. */
export async function listProblems(deps: Deps, access: CommunityAccess, status: "open" | "resolved") {
  if (!can(access, "market.staff")) throw forbidden("Only staff see reported problems.");
  const rows = await problemsOfCommunity(deps.db, access.community.id, status);
  const noShows = await noShowCounts(deps.db, access.community.id, "customer", [
    ...new Set(rows.map((r) => r.customerId)),
  ]);
  return rows.map((r) => {
    const problem = toPublicProblem(r);
    const customer = { ...problem.booking.customer, noShows: noShows.get(r.customerId) ?? 0 };
    return { ...problem, booking: { ...problem.booking, customer } };
  });
}

export type StaffProblem = Awaited<ReturnType<typeof listProblems>>[number];

/**
 * The payment of a completed booking no longer counts (left out of payout statements) and the job
 * leaves the helper's completed count; once only, however many reports are upheld.
 */
async function voidCompletion(trx: Db, p: ProblemRow, now: number): Promise<boolean> {
  const voided = await trx
    .updateTable("payments")
    .set({ voidedAt: now })
    .where("bookingId", "=", p.bookingId)
    .where("voidedAt", "is", null)
    .executeTakeFirst();
  if (Number(voided.numUpdatedRows) !== 1) return false;
  await trx
    .updateTable("helpers")
    .set((eb) => ({ completedCount: eb("completedCount", "-", 1) }))
    .where("communityId", "=", p.communityId)
    .where("userId", "=", p.helperId)
    .execute();
  return true;
}

/**
 * What an upheld report changes. A no-show report: the booking becomes `no_show`, the other party's
 * (noShowBy reads it from the report); if the helper completed it meanwhile, the customer's report
 * voids its payment too, the helper's keeps it (the helper came). A work or payment report on a
 * completed booking: its payment is voided. The same report on a booking still accepted (reported
 * once its appointment began, upheld before any completion) has no payment to void yet: the booking
 * is cancelled instead, by the resolving staff member with the report as the reason (PROBLEM_UPHELD_REASON,
 * not a party's late cancellation), so it is never completed and paid afterwards. Both parties hear of
 * it through the upheld report's notification. Anything else only records the outcome.
 */
async function upholdEffects(trx: Db, p: ProblemRow, staffId: number, now: number) {
  const byCustomer = p.reporterId === p.customerId;
  if (p.kind === "no_show" && (p.bookingStatus === "accepted" || p.bookingStatus === "completed")) {
    const paymentVoided = byCustomer && p.bookingStatus === "completed" && (await voidCompletion(trx, p, now));
    const moved = await trx
      .updateTable("bookings")
      .set({ status: "no_show", updatedAt: now })
      .where("id", "=", p.bookingId)
      .where("status", "=", p.bookingStatus)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw conflict("This booking changed meanwhile; reload it.");
    return { bookingStatus: "no_show", noShowBy: byCustomer ? "helper" : "customer", paymentVoided };
  }
  if ((p.kind === "payment" || p.kind === "not_done") && p.bookingStatus === "completed")
    return { paymentVoided: await voidCompletion(trx, p, now) };
  if ((p.kind === "payment" || p.kind === "not_done") && p.bookingStatus === "accepted") {
    const cancelled = await trx
      .updateTable("bookings")
      .set({
        status: "cancelled",
        reason: PROBLEM_UPHELD_REASON,
        cancelledBy: staffId,
        lateCancellation: 0,
        updatedAt: now,
      })
      .where("id", "=", p.bookingId)
      .where("status", "=", "accepted")
      .executeTakeFirst();
    if (Number(cancelled.numUpdatedRows) !== 1) throw conflict("This booking changed meanwhile; reload it.");
    return { bookingStatus: "cancelled" };
  }
  return {};
}

/** Staff uphold or dismiss an open report: audited, both parties told. A party to the booking leaves it to others. */
export async function resolveProblem(deps: Deps, id: number, actor: Actor, input: ResolveProblemInput) {
  const problem = await findProblem(deps.db, id);
  if (!problem) throw notFound("Problem");
  const access = await communityAccess(deps, { id: problem.communityId }, actor, "Problem");
  const party = actor.id === problem.customerId || actor.id === problem.helperId;
  if (!can(access, "market.staff"))
    throw party ? forbidden("Only staff resolve a reported problem.") : notFound("Problem");
  if (party) throw forbidden("Another staff member resolves a problem with your own booking.");
  if (problem.status !== "open") throw conflict("This problem is already resolved.");
  const now = deps.clock.now();
  const upheld = input.outcome === "upheld";
  await deps.db.transaction().execute(async (trx) => {
    const resolved = await trx
      .updateTable("bookingProblems")
      .set({ status: "resolved", outcome: input.outcome, note: input.note, resolvedBy: actor.id, resolvedAt: now })
      .where("id", "=", id)
      .where("status", "=", "open")
      .executeTakeFirst();
    if (Number(resolved.numUpdatedRows) !== 1) throw conflict("Someone else resolved this problem at the same time.");
    // The booking as it is now, locked: a completion that landed since the report was read is voided too.
    await lockRows({ db: trx, dialect: deps.dialect }, "bookings", [problem.bookingId]);
    const booking = await trx
      .selectFrom("bookings")
      .select("status")
      .where("id", "=", problem.bookingId)
      .executeTakeFirstOrThrow();
    const effects = upheld
      ? await upholdEffects(trx, { ...problem, bookingStatus: booking.status }, actor.id, now)
      : {};
    await recordAudit(
      { db: trx, clock: deps.clock },
      {
        communityId: problem.communityId,
        actorId: actor.id,
        action: upheld ? "booking_problem.uphold" : "booking_problem.dismiss",
        targetType: "booking_problem",
        targetId: id,
        details: { bookingId: problem.bookingId, kind: problem.kind, reporterId: problem.reporterId, ...effects },
      },
    );
    const kind = upheld ? "booking_problem_upheld" : "booking_problem_dismissed";
    await announce(trx, deps, problem.bookingId, kind, null, `problem-resolved:${id}`, input.note.slice(0, 200));
  });
  deps.wakeJobs?.();
  return toPublicProblem((await findProblem(deps.db, id))!);
}
