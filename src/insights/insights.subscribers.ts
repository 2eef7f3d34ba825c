import { type EventName, defineSubscriber } from "../jobs/events.ts";
import { invalidateTimes, invalidateTopic } from "./insights.rollups.jobs.ts";

/** What changes what a topic counts for: its posts, their visibility, its solution, category, kind, state. */
const CHANGES_FIGURES = [
  "topic.created",
  "topic.edited",
  "reply.posted",
  "comment.posted",
  "solution.changed",
  "post.moderated",
  "topic.moved",
  "topic.escalated",
  "topic.abandoned",
] as const satisfies readonly EventName[];

/** The rollups follow topics: a change to a past day is read live until the job computes that day again. */
export const insightsSubscribers = [
  ...CHANGES_FIGURES.map((event) =>
    defineSubscriber({ name: `insights.rollups.${event}`, event, run: (deps, e) => invalidateTopic(deps, e.topicId) }),
  ),
  defineSubscriber({
    name: "insights.rollups.topic.merged",
    event: "topic.merged",
    // The merged topic stops counting; its replies now count for the target.
    run: async (deps, e) => {
      await invalidateTopic(deps, e.topicId);
      await invalidateTopic(deps, e.intoId);
    },
  }),
  defineSubscriber({
    name: "insights.rollups.membership.ended",
    event: "membership.ended",
    // The day it began no longer counts the member among its new members.
    run: (deps, e) => invalidateTimes(deps, e.communityId, [e.joinedAt]),
  }),
];
