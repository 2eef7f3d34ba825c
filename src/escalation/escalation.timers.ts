import { sql } from "kysely";
import type { Deps } from "../core/deps.ts";
import type { Db, Dialect } from "../db/database.ts";
import type { Clock } from "../core/clock.ts";
import { defineJob, enqueue, freeDedupeKey } from "../jobs/jobs.ts";
import { escalateTopic } from "./escalation.service.ts";
import { answersTopic, commentInTopic, lockTopics, markAbandoned, SOLVABLE_KINDS } from "../topics/index.ts";
import { transaction } from "../core/transaction.ts";

/**
 * Timers of the topic lifecycle, as rows of the job queue: they survive restarts, and any
 * instance runs them when due. Each handler re-reads the topic and acts only if the condition
 * still holds, so a timer that fires late, twice, or after things changed does no harm.
 */
type Ctx = { db: Db; clock: Clock };
type SlaStage = "first_response" | "resolution";

const MINUTE_MS = 60_000;
/** No accepted solution and no word from the asker for this long after a reply: abandoned. */
const ABANDON_AFTER_MS = 14 * 86_400_000;

/**
 * Sets the SLA timers of a topic from its category's deadlines, counted from its posting: when it
 * is created (pass that transaction) and when it moves to another category. One timer per stage
 * and due time, so one set earlier for another time does not keep the new one out.
 */
export async function scheduleSla(
  ctx: Ctx,
  topic: { id: number; createdAt: number },
  category: { firstResponseMinutes: number | null; resolutionMinutes: number | null },
): Promise<void> {
  const stages: [SlaStage, number | null][] = [
    ["first_response", category.firstResponseMinutes],
    ["resolution", category.resolutionMinutes],
  ];
  for (const [stage, minutes] of stages) {
    if (!minutes) continue;
    const runAt = topic.createdAt + minutes * MINUTE_MS;
    // `sla:<stage>:<topic>:<time>`: a subscriber running twice sets one timer. One of that key that ran
    // already (the topic left the category before its deadline and came back after it) must not keep the
    // new one out, or the topic would never escalate.
    const dedupeKey = await freeDedupeKey(ctx.db, `sla:${stage}:${topic.id}:${runAt}`);
    await enqueue(ctx, slaJob, { topicId: topic.id, stage }, { runAt, dedupeKey });
  }
}

/** A field of an SLA timer's payload (`{topicId, stage}`, as JSON text in the jobs table), in SQL. */
function slaPayloadField(dialect: Dialect, field: "topicId" | "stage") {
  const payload = sql.ref("jobs.payload");
  return dialect === "postgres"
    ? sql`(${payload}::json ->> ${sql.lit(field)})`
    : sql`json_extract(${payload}, ${sql.lit(`$.${field}`)})`;
}

/**
 * After an admin saved a category's deadlines: the pending SLA timers of its topics still waiting
 * on the crowd (unsolved, not escalated, no case staff resolved or de-escalated) move to the new due
 * time, counted from each topic's posting, in one statement. A deadline already past is then due:
 * the queue's next run escalates (not this call); one lengthened waits. Escalated, solved and
 * de-escalated topics keep their timers, as does a stage whose deadline was cleared (its timer does
 * nothing when it fires). Returns how many timers moved. A moved timer drops its dedupe key
 * (`sla:<stage>:<topic>:<time>`): it no longer names its time, and another timer of the topic, done
 * or pending, may hold the key of the new one.
 */
export async function retimeSla(ctx: { db: Db; dialect: Dialect }, categoryId: number): Promise<number> {
  const waiting = ctx.db
    .selectFrom("topics")
    .innerJoin("categories", "categories.id", "topics.categoryId")
    .select(["topics.id", "topics.createdAt", "categories.firstResponseMinutes", "categories.resolutionMinutes"])
    .where("topics.categoryId", "=", categoryId)
    .where("topics.kind", "in", SOLVABLE_KINDS)
    .where("topics.acceptedReplyId", "is", null)
    .where("topics.escalatedAt", "is", null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("supportCases")
            .select("supportCases.topicId")
            .whereRef("supportCases.topicId", "=", "topics.id")
            .where("supportCases.resolvedAt", "is not", null),
        ),
      ),
    )
    .as("waiting");
  const stage = slaPayloadField(ctx.dialect, "stage");
  const minutes = sql`case ${stage} when ${sql.lit("first_response")} then ${sql.ref("waiting.firstResponseMinutes")}
    when ${sql.lit("resolution")} then ${sql.ref("waiting.resolutionMinutes")} end`;
  // Cast: 90 days of milliseconds is past PostgreSQL's integer.
  const due = sql<number>`${sql.ref("waiting.createdAt")} + cast(${minutes} as bigint) * ${sql.lit(MINUTE_MS)}`;
  const moved = await ctx.db
    .updateTable("jobs")
    .from(waiting)
    .set({ runAt: due, dedupeKey: null })
    .where("jobs.name", "=", slaJob.name)
    .where("jobs.status", "=", "pending")
    .where(sql<number>`cast(${slaPayloadField(ctx.dialect, "topicId")} as integer)`, "=", sql.ref<number>("waiting.id"))
    .where(due, "is not", null)
    .where(due, "<>", sql.ref<number>("jobs.runAt"))
    .executeTakeFirst();
  return Number(moved.numUpdatedRows);
}

/** The time of the topic's last answer (answersTopic: the rule insights and routing count by), if any. */
async function lastAnswerAt(db: Db, topicId: number): Promise<number | null> {
  const row = await db
    .selectFrom("replies")
    .innerJoin("topics", "topics.id", "replies.topicId")
    .select((eb) => eb.fn.max("replies.createdAt").as("at"))
    .where("topics.id", "=", topicId)
    .where(answersTopic)
    .executeTakeFirst();
  return row?.at == null ? null : Number(row.at);
}

/**
 * First-response deadline: no reply (from anyone but the asker) yet. Second deadline: still no
 * accepted solution (replies or not). Neither escalates a solved, escalated or abandoned topic, nor
 * one whose case staff resolved (a de-escalated one is the crowd's again: its deadlines still count).
 * A deadline is one trigger (the timer's key, `sla:<stage>:<topic>:<time>`): one that had passed when
 * staff de-escalated the topic was dealt with, so its timer run again (a worker stopped between the
 * escalation and marking its job done) does not put back what staff sent to the crowd; a later
 * deadline, or one moved past the de-escalation, escalates it again.
 */
async function checkSla(deps: Deps, topicId: number, stage: SlaStage): Promise<void> {
  // Decided under the topic's lock, in the escalation's transaction: staff resolving the case (or
  // an answer arriving) at the same moment is seen here, not overwritten.
  const escalated = await transaction(deps, async (tx) => {
    await lockTopics(tx, [topicId]);
    const topic = await tx.db
      .selectFrom("topics")
      .leftJoin("supportCases", "supportCases.topicId", "topics.id")
      .select((eb) => [
        "topics.authorId",
        "topics.acceptedReplyId",
        "topics.escalatedAt",
        "topics.abandonedAt",
        "topics.moderationState",
        "topics.kind",
        "topics.createdAt",
        eb
          .selectFrom("categories")
          .select(stage === "first_response" ? "categories.firstResponseMinutes" : "categories.resolutionMinutes")
          .whereRef("categories.id", "=", "topics.categoryId")
          .as("deadlineMinutes"),
        "supportCases.resolvedAt as caseClosedAt",
        "supportCases.resolution as caseResolution",
      ])
      .where("topics.id", "=", topicId)
      .executeTakeFirst();
    // Gone, hidden, held or merged: nothing for the help desk to hear about.
    if (topic?.moderationState !== "visible") return false;
    // The deadline is the one the topic's category has now: moved to a category without one, or
    // the deadline cleared, the timer set at posting does nothing; a deadline lengthened since
    // waits for its new time.
    if (!SOLVABLE_KINDS.includes(topic.kind) || !topic.deadlineMinutes) return false;
    const due = Number(topic.createdAt) + Number(topic.deadlineMinutes) * MINUTE_MS;
    if (due > tx.clock.now()) {
      await enqueue(tx, slaJob, { topicId, stage }, { runAt: due, dedupeKey: `sla:${stage}:${topicId}:${due}` });
      return false;
    }
    if (
      topic.acceptedReplyId !== null ||
      topic.escalatedAt !== null ||
      topic.abandonedAt !== null ||
      // A resolution leaves its text; a de-escalation ("back to the crowd") resolves nothing.
      (topic.caseClosedAt != null && (topic.caseResolution != null || Number(topic.caseClosedAt) >= due))
    )
      return false;
    const answered = (await lastAnswerAt(tx.db, topicId)) !== null;
    if (stage === "first_response" && answered) return false;
    return escalateTopic({ ...tx, baseUrl: deps.config.baseUrl }, topicId, answered ? "unsolved" : "no_reply", null);
  });
  if (escalated) deps.wakeJobs?.();
}

export const slaJob = defineJob<{ topicId: number; stage: SlaStage }>({
  name: "escalation.sla",
  run: (deps, payload) => checkSla(deps, payload.topicId, payload.stage),
});

/** After a reply by someone else, checks 14 days later whether the asker went silent; pass the reply's transaction. */
export async function scheduleAbandonCheck(ctx: Ctx, topicId: number, replyAt: number): Promise<void> {
  await enqueue(
    ctx,
    abandonJob,
    { topicId },
    { runAt: replyAt + ABANDON_AFTER_MS, dedupeKey: `abandon:${topicId}:${replyAt}` },
  );
}

/** The asker's last reply or comment in their topic (on the question or on a reply). */
async function askerLastActivity(db: Db, topicId: number, askerId: number): Promise<number | null> {
  const [reply, comment] = await Promise.all([
    db
      .selectFrom("replies")
      .select((eb) => eb.fn.max("createdAt").as("at"))
      .where("topicId", "=", topicId)
      .where("authorId", "=", askerId)
      .executeTakeFirst(),
    db
      .selectFrom("comments")
      .select((eb) => eb.fn.max("comments.createdAt").as("at"))
      .where(commentInTopic(topicId))
      .where("comments.authorId", "=", askerId)
      .executeTakeFirst(),
  ]);
  const times = [reply?.at, comment?.at].filter((at) => at != null).map(Number);
  return times.length ? Math.max(...times) : null;
}

/**
 * Abandoned: visible, not solved, not with staff, and the asker did nothing for 14 days after the last reply by
 * someone else.
 * Decided under the topic's lock, in the abandonment's transaction: a topic escalated (or solved) at the same
 * moment is seen here and not also marked abandoned.
 */
async function checkAbandoned(deps: Deps, topicId: number): Promise<void> {
  await transaction(deps, async (tx) => {
    await lockTopics(tx, [topicId]);
    const topic = await tx.db
      .selectFrom("topics")
      .select(["communityId", "authorId", "acceptedReplyId", "escalatedAt", "abandonedAt", "moderationState"])
      .where("id", "=", topicId)
      .executeTakeFirst();
    if (!topic || topic.acceptedReplyId !== null || topic.escalatedAt !== null || topic.abandonedAt !== null) return;
    // Hidden, held, merged or deleted since the reply: nobody's open question any more.
    if (topic.moderationState !== "visible") return;
    const lastAnswer = await lastAnswerAt(tx.db, topicId);
    const now = tx.clock.now();
    if (lastAnswer === null || now < lastAnswer + ABANDON_AFTER_MS) return; // a later reply has its own check
    const askerLast = await askerLastActivity(tx.db, topicId, topic.authorId);
    if (askerLast !== null && askerLast >= lastAnswer) return;
    await markAbandoned(tx, { id: topicId, communityId: topic.communityId });
  });
}

export const abandonJob = defineJob<{ topicId: number }>({
  name: "escalation.abandon",
  run: (deps, payload) => checkAbandoned(deps, payload.topicId),
});
