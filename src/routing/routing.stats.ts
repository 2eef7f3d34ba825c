import type { ExpressionBuilder } from "kysely";
import type { Deps } from "../core/deps.ts";
import type { Database } from "../db/schema.ts";
import type { CommunityAccess } from "../access/access.ts";
import { forbidden, validationFailed } from "../core/errors.ts";
import { SOLVABLE_KINDS, firstAnswerAt, firstAnswerWait } from "../topics/index.ts";

import type { RoutingStatsInput } from "./routing.schema.ts";
import { can } from "../access/privileges.ts";
import { DAY_MS } from "../lib/durations.ts";

const PERIODS_MAX = 400;

/** Start (UTC) of the period holding `ms`: the day, the week (Monday) or the month. */
function periodStart(ms: number, period: RoutingStatsInput["period"]): number {
  const d = new Date(ms);
  if (period === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return period === "week" ? day - ((d.getUTCDay() + 6) % 7) * DAY_MS : day;
}

function nextPeriod(start: number, period: RoutingStatsInput["period"]): number {
  if (period === "month") {
    const d = new Date(start);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return start + (period === "week" ? 7 : 1) * DAY_MS;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Question {
  routed: boolean;
  answeredByRouted: boolean;
  /** Minutes from posting to the first reply by someone other than the asker; null when unanswered. */
  firstAnswerMinutes: number | null;
}

function summarize(questions: Question[]) {
  const routed = questions.filter((q) => q.routed);
  const answeredByRoutedExpert = routed.filter((q) => q.answeredByRouted).length;
  const minutes = (list: Question[]) =>
    median(list.flatMap((q) => (q.firstAnswerMinutes === null ? [] : [q.firstAnswerMinutes])));
  return {
    questions: questions.length,
    routedQuestions: routed.length,
    answeredByRoutedExpert,
    /** Share of routed questions a routed expert answered, 0..1; null when none was routed. */
    answeredByRoutedExpertShare: routed.length ? answeredByRoutedExpert / routed.length : null,
    medianMinutesToFirstAnswer: { routed: minutes(routed), notRouted: minutes(questions.filter((q) => !q.routed)) },
  };
}

/**
 * Per topic, for a query over `topics`: whether it was offered to experts (`routed`), whether a
 * routed expert answered it (`answeredByRouted`), and when the first visible reply by someone
 * other than the asker came (`firstAnswerAt` of the topics domain, null while none). The routing statistics and the
 * insights both count routed questions and first answers with these.
 */
export function routedAnswerColumns(eb: ExpressionBuilder<Database, "topics">) {
  return [
    eb
      .exists(
        eb.selectFrom("topicRoutes").select("topicRoutes.userId").whereRef("topicRoutes.topicId", "=", "topics.id"),
      )
      .as("routed"),
    eb
      .exists(
        eb
          .selectFrom("topicRoutes")
          .select("topicRoutes.userId")
          .whereRef("topicRoutes.topicId", "=", "topics.id")
          .where("topicRoutes.answeredAt", "is not", null),
      )
      .as("answeredByRouted"),
    firstAnswerAt(eb),
  ] as const;
}

/**
 * Routing quality per period, by the questions (and problems) posted in it: how many were routed,
 * the share a routed expert answered, and the median time to the first answer for routed and
 * not-routed questions. One query for the whole range.
 */
export async function routingStats(deps: Deps, access: CommunityAccess, input: RoutingStatsInput) {
  if (!can(access, "stats.routing")) throw forbidden("Only staff can see routing statistics.");
  const to = nextPeriod(periodStart(input.to ? Date.parse(input.to) : deps.clock.now(), "day"), "day");
  let from = input.from ? Date.parse(input.from) : periodStart(to - 1, input.period);
  if (!input.from) for (let i = 1; i < 12; i++) from = periodStart(from - 1, input.period);
  if (from >= to) throw validationFailed({ from: "Must be on or before `to`." });
  const starts: number[] = [];
  for (let s = periodStart(from, input.period); s < to; s = nextPeriod(s, input.period)) starts.push(s);
  if (starts.length > PERIODS_MAX) throw validationFailed({ from: `At most ${PERIODS_MAX} periods at once.` });

  const rows = await deps.db
    .selectFrom("topics")
    .select((eb) => ["topics.createdAt", ...routedAnswerColumns(eb)])
    .where("topics.communityId", "=", access.community.id)
    .where("topics.kind", "in", SOLVABLE_KINDS)
    // As insights count them: a question hidden as spam, or deleted, is no question asked.
    .where("topics.moderationState", "=", "visible")
    .where("topics.createdAt", ">=", from)
    .where("topics.createdAt", "<", to)
    .execute();

  const byPeriod = new Map<number, Question[]>(starts.map((s) => [s, []]));
  for (const row of rows) {
    const wait = firstAnswerWait(Number(row.createdAt), row.firstAnswerAt === null ? null : Number(row.firstAnswerAt));
    byPeriod.get(periodStart(Number(row.createdAt), input.period))?.push({
      routed: Boolean(row.routed),
      answeredByRouted: Boolean(row.answeredByRouted),
      firstAnswerMinutes: wait === null ? null : wait / 60_000,
    });
  }
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    period: input.period,
    from: day(from),
    to: day(to - 1),
    periods: starts.map((start) => ({ start: day(start), ...summarize(byPeriod.get(start)!) })),
    total: summarize([...byPeriod.values()].flat()),
  };
}
