import type { Deps } from "../core/deps.ts";
import { transaction } from "../core/transaction.ts";
import { defineSubscriber } from "../jobs/events.ts";
import { eventSubject, replyById, topicsByIds } from "../topics/index.ts";
import { queueWebhook, webhookSubject } from "./webhooks.ts";

/**
 * The outgoing half of the help-desk connector beyond escalation itself: what the asker adds to
 * an escalated topic (`topic.updated`) and its solution (`topic.solved`) reach the help desk's
 * ticket. Staff and agents' own replies are not sent back, so nothing echoes between the two.
 */
async function hasCase(deps: Pick<Deps, "db">, topicId: number): Promise<boolean> {
  const row = await deps.db
    .selectFrom("supportCases")
    .select("topicId")
    .where("topicId", "=", topicId)
    .executeTakeFirst();
  return row !== undefined;
}

async function send(
  deps: Deps,
  topicId: number,
  event: string,
  dedupeKey: string,
  data: (topicUrl: string) => Record<string, unknown>,
) {
  const row = (await topicsByIds(deps, [topicId])).get(topicId);
  if (!row) return;
  await transaction(deps, async (tx) => {
    const subject = await webhookSubject(tx, row, deps.config.baseUrl);
    await queueWebhook(tx, row.communityId, topicId, event, { ...subject, ...data(subject.topic.url) }, dedupeKey);
  });
  deps.wakeJobs?.();
}

/** The asker's own words on a topic that is with staff right now. */
async function askerUpdate(deps: Deps, e: { topicId: number; authorId: number }) {
  const row = (await topicsByIds(deps, [e.topicId])).get(e.topicId);
  return row !== undefined && row.authorId === e.authorId && row.escalatedAt !== null;
}

/** The asker's reply on an escalated topic. */
export const replyUpdate = defineSubscriber({
  name: "helpdesk.replyUpdate",
  event: "reply.posted",
  run: async (deps, e) => {
    if (!(await askerUpdate(deps, e))) return;
    const reply = await replyById(deps, e.replyId);
    if (!reply) return;
    await send(deps, e.topicId, "topic.updated", `topic.updated:reply:${reply.id}`, (url) => ({
      update: {
        type: "reply",
        id: reply.id,
        body: reply.body,
        createdAt: new Date(Number(reply.createdAt)).toISOString(),
        url: `${url}#reply-${reply.id}`,
      },
    }));
  },
});

const commentUpdate = defineSubscriber({
  name: "helpdesk.commentUpdate",
  event: "comment.posted",
  run: async (deps, e) => {
    if (!(await askerUpdate(deps, e))) return;
    const subject = await eventSubject(deps, e);
    if (!subject) return;
    await send(deps, e.topicId, "topic.updated", `topic.updated:comment:${e.commentId}`, (url) => ({
      update: {
        type: "comment",
        id: e.commentId,
        replyId: e.replyId,
        body: subject.body,
        url: `${url}#comment-${e.commentId}`,
      },
    }));
  },
});

const solvedUpdate = defineSubscriber({
  name: "helpdesk.solved",
  event: "solution.changed",
  run: async (deps, e) => {
    if (e.replyId === null || !(await hasCase(deps, e.topicId))) return;
    const reply = await replyById(deps, e.replyId);
    if (!reply) return;
    // Once per solution: accepting the same reply again after withdrawing it is no news.
    await send(deps, e.topicId, "topic.solved", `topic.solved:${e.topicId}:${reply.id}`, (url) => ({
      solution: {
        replyId: reply.id,
        body: reply.body,
        official: reply.official === 1,
        url: `${url}#reply-${reply.id}`,
      },
    }));
  },
});

export const helpdeskSubscribers = [replyUpdate, commentUpdate, solvedUpdate];
