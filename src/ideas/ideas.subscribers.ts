import type { Deps } from "../core/deps.ts";
import { defineSubscriber } from "../jobs/events.ts";
import { notify, registerNotificationKind } from "../notifications/index.ts";
import * as q from "./ideas.queries.ts";
import { ideaStatusLabel } from "./ideas.schema.ts";
import "./ideas.events.ts";

registerNotificationKind({
  kind: "idea_status",
  defaultChannel: "email",
  area: "ideas",
  message: "notify.idea_status",
  label: "notify.kind.idea_status",
});

/**
 * A status change reaches the idea's author, everyone who voted it up and everyone who follows it
 * ("me too"), each once and on the channel their preferences choose (the fan-out decides, and
 * leaves out whoever may not read the idea yet).
 */
async function notifyChange(deps: Deps, communityId: number, changeId: number): Promise<void> {
  const change = await q.changeById(deps.db, changeId);
  if (!change) return;
  await notify(deps, {
    kind: "idea_status",
    userIds: [change.authorId, ...(await q.upvoters(deps.db, change.topicId))],
    followersOf: change.topicId,
    communityId,
    topicId: change.topicId,
    actorId: change.staffId,
    eventKey: `idea_status:${change.id}`,
    data: {
      title: change.title,
      url: `/c/${change.slug}/t/${change.topicId}#idea-status`,
      actorName: change.staffName,
      // The status in each reader's language; the staff's note as written.
      excerptLabel: ideaStatusLabel(change.status),
      ...(change.note ? { excerpt: change.note } : {}),
    },
  });
}

export const ideaSubscribers = [
  defineSubscriber({
    name: "ideas.notifyStatus",
    event: "idea.statusChanged",
    run: (deps, { communityId, changeId }) => notifyChange(deps, communityId, changeId),
  }),
  defineSubscriber({
    name: "ideas.notifyStatusOnApproval",
    event: "topic.created",
    // Staff may set the status of an idea still held for review, which only its author can read
    // then. Once approved, its voters and followers hear of its latest status; the same event key
    // keeps whoever was told already (the author) from hearing it twice.
    run: async (deps, { topicId, communityId }) => {
      const latest = await q.latestChange(deps.db, topicId);
      if (latest) await notifyChange(deps, communityId, latest.id);
    },
  }),
];
