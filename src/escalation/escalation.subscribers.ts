import type { Deps } from "../core/deps.ts";
import { transaction } from "../core/transaction.ts";
import { defineSubscriber } from "../jobs/events.ts";
import { SOLVABLE_KINDS } from "../topics/index.ts";
import { replyById, topicsByIds } from "../topics/index.ts";
import { clearAbandoned } from "../topics/index.ts";
import { queueCategoryForStaff, queueForStaff } from "./escalation.service.ts";
import { retimeSla, scheduleAbandonCheck, scheduleSla } from "./escalation.timers.ts";
import { helpdeskSubscribers } from "./helpdesk.outgoing.ts";

/**
 * What escalation does when something happens to a topic: staff-only and private topics wait in
 * the staff queue, SLA timers start, an answer starts the abandonment clock, and activity revives
 * an abandoned topic. Timers are jobs in the database, so a restart loses none.
 */
async function topicOf(deps: Deps, topicId: number) {
  return (await topicsByIds(deps, [topicId])).get(topicId);
}

/** What escalation needs of a category: who answers there, and its deadlines. */
async function categoryOf(deps: Deps, categoryId: number) {
  return deps.db
    .selectFrom("categories")
    .select(["scope", "firstResponseMinutes", "resolutionMinutes"])
    .where("id", "=", categoryId)
    .executeTakeFirst();
}

export const escalationSubscribers = [
  defineSubscriber({
    name: "escalation.topicCreated",
    event: "topic.created",
    run: async (deps, { topicId }) => {
      const topic = await topicOf(deps, topicId);
      if (!topic) return;
      const category = topic.categoryId ? await categoryOf(deps, topic.categoryId) : undefined;
      await transaction(deps, async (tx) => {
        // Staff answer staff-only and private categories: their topics wait in the staff queue. Delivered
        // again (at least once), it keeps the case as it is: one staff resolved or escalated since.
        if ((category?.scope ?? "crowd") !== "crowd") await queueForStaff(tx, topic);
        if (category && SOLVABLE_KINDS.includes(topic.kind)) await scheduleSla(tx, topic, category);
      });
    },
  }),
  defineSubscriber({
    name: "escalation.topicMoved",
    event: "topic.moved",
    // Moved into a category with deadlines: its timers start, counted from the topic's posting
    // (the timer re-reads the category when due, so one set for the former category does nothing).
    // Moved into a staff-only or private category: it waits in the staff queue, as one posted there
    // does (members may not answer it there), unless it has a case already.
    run: async (deps, { topicId, to }) => {
      const topic = await topicOf(deps, topicId);
      if (!topic || to === null) return;
      const category = await categoryOf(deps, to);
      if (!category) return;
      await transaction(deps, async (tx) => {
        if (category.scope !== "crowd") await queueForStaff(tx, topic);
        if (SOLVABLE_KINDS.includes(topic.kind)) await scheduleSla(tx, topic, category);
      });
    },
  }),
  defineSubscriber({
    name: "escalation.topicRestored",
    event: "post.moderated",
    // A timer that fired while the topic was hidden did nothing, and none follows it: restored, the
    // topic gets its timers again, counted from its posting, so one past its deadline escalates at
    // the queue's next run. (A timer still pending keeps its key: nothing is set twice.)
    run: async (deps, { type, topicId, state }) => {
      if (type !== "topic" || state !== "visible") return;
      const topic = await topicOf(deps, topicId);
      if (!topic?.categoryId || !SOLVABLE_KINDS.includes(topic.kind)) return;
      const category = await categoryOf(deps, topic.categoryId);
      if (category) await scheduleSla(deps, topic, category);
    },
  }),
  defineSubscriber({
    name: "escalation.scopeChanged",
    event: "category.scopeChanged",
    // Read when it runs: a category set back to crowd meanwhile queues nothing.
    run: async (deps, { categoryId }) => {
      const category = await categoryOf(deps, categoryId);
      if (category && category.scope !== "crowd") await queueCategoryForStaff(deps, categoryId);
    },
  }),
  defineSubscriber({
    name: "escalation.deadlinesChanged",
    event: "category.deadlinesChanged",
    // An admin changed a category's deadlines: its waiting topics' timers move to the new due
    // times. Only the timers move; a deadline already past escalates at the queue's next run.
    run: async (deps, { categoryId }) => {
      await retimeSla(deps, categoryId);
    },
  }),
  defineSubscriber({
    name: "escalation.replyPosted",
    event: "reply.posted",
    run: async (deps, { topicId, replyId }) => {
      const [topic, reply] = await Promise.all([topicOf(deps, topicId), replyById(deps, replyId)]);
      if (!topic || !reply) return;
      await transaction(deps, async (tx) => {
        await clearAbandoned(tx, topicId);
        if (reply.authorId !== topic.authorId) await scheduleAbandonCheck(tx, topicId, reply.createdAt);
      });
    },
  }),
  defineSubscriber({
    name: "escalation.commentPosted",
    event: "comment.posted",
    run: async (deps, { topicId, authorId }) => {
      const topic = await topicOf(deps, topicId);
      if (topic && authorId === topic.authorId) await clearAbandoned(deps, topicId);
    },
  }),
  defineSubscriber({
    name: "escalation.solutionChanged",
    event: "solution.changed",
    run: (deps, { topicId }) => clearAbandoned(deps, topicId),
  }),
  ...helpdeskSubscribers,
];
