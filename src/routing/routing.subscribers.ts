import { defineSubscriber } from "../jobs/events.ts";
import { SOLVABLE_KINDS } from "../topics/index.ts";
import { topicsByIds } from "../topics/index.ts";
import { refreshExpertise } from "./expertise.service.ts";
import {
  endClosedOffers,
  endOffersOfMember,
  followRoutedAnswer,
  markRouteAnswered,
  resumeRouting,
  scheduleRouting,
} from "./routing.service.ts";

/**
 * Routing reacts to topics: a new question in a crowd category is offered to experts (one held for
 * review once approved, at once), an answer by a routed expert counts (and withdraws the other
 * experts' open offers) while it is visible, and answers, votes, solutions, edits and moderation
 * update the answerers' expertise.
 */
export const routingSubscribers = [
  defineSubscriber({
    name: "routing.topicCreated",
    event: "topic.created",
    run: async (deps, { topicId }) => {
      const topic = (await topicsByIds(deps, [topicId])).get(topicId);
      if (!topic || !SOLVABLE_KINDS.includes(topic.kind) || (topic.categoryScope ?? "crowd") !== "crowd") return;
      await scheduleRouting(deps, topicId);
      // Approved after review (this event again): a round that found it held stopped there; it runs now.
      await resumeRouting(deps, topicId);
      deps.wakeJobs?.();
    },
  }),
  defineSubscriber({
    name: "routing.replyPosted",
    event: "reply.posted",
    run: async (deps, { topicId, communityId, authorId }) => {
      const topic = (await topicsByIds(deps, [topicId])).get(topicId);
      if (!topic || authorId === topic.authorId) return;
      await markRouteAnswered(deps, topicId, authorId);
      await refreshExpertise(deps, { communityId, userIds: [authorId] });
    },
  }),
  defineSubscriber({
    name: "routing.solutionChanged",
    event: "solution.changed",
    run: (deps, { topicId, communityId }) => refreshExpertise(deps, { communityId, topicId }),
  }),
  // A question that leaves the crowd (or that a routed member may no longer read) ends its open offers at once.
  defineSubscriber({
    name: "routing.topicLocked",
    event: "topic.locked",
    run: (deps, { topicId }) => endClosedOffers(deps, topicId),
  }),
  defineSubscriber({
    name: "routing.topicMoved",
    event: "topic.moved",
    run: (deps, { topicId }) => endClosedOffers(deps, topicId),
  }),
  defineSubscriber({
    name: "routing.topicMerged",
    event: "topic.merged",
    run: (deps, { topicId }) => endClosedOffers(deps, topicId),
  }),
  defineSubscriber({
    name: "routing.topicEscalated",
    event: "topic.escalated",
    run: (deps, { topicId }) => endClosedOffers(deps, topicId),
  }),
  defineSubscriber({
    name: "routing.topicAbandoned",
    event: "topic.abandoned",
    run: (deps, { topicId }) => endClosedOffers(deps, topicId),
  }),
  // Hidden, its offers end; restored, its routing goes on from the round a timer found it hidden in.
  defineSubscriber({
    name: "routing.topicModerated",
    event: "post.moderated",
    run: async (deps, { topicId, type, state }) => {
      if (type !== "topic") return;
      await endClosedOffers(deps, topicId);
      if (state === "visible") {
        await resumeRouting(deps, topicId);
        deps.wakeJobs?.();
      }
    },
  }),
  // A routed expert's answer hidden or deleted no longer counts as their answer (unless another of
  // their replies is visible), and routing goes on; restored, it counts again.
  defineSubscriber({
    name: "routing.answerModerated",
    event: "post.moderated",
    run: async (deps, { topicId, type, authorId }) => {
      if (type === "reply") await followRoutedAnswer(deps, topicId, authorId);
    },
  }),
  // A hidden, deleted or restored post no longer counts, or counts again, in its answerers' expertise.
  defineSubscriber({
    name: "routing.expertiseModerated",
    event: "post.moderated",
    run: async (deps, { topicId, communityId, type, authorId }) => {
      if (type === "topic") await refreshExpertise(deps, { communityId, topicId });
      else if (type === "reply") await refreshExpertise(deps, { communityId, userIds: [authorId] });
    },
  }),
  // What a question is about (its tags, title, body) and what an answer says make the expertise.
  defineSubscriber({
    name: "routing.topicEdited",
    event: "topic.edited",
    run: (deps, { topicId, communityId }) => refreshExpertise(deps, { communityId, topicId }),
  }),
  defineSubscriber({
    name: "routing.replyEdited",
    event: "reply.edited",
    run: async (deps, { replyId, communityId }) => {
      const reply = await deps.db.selectFrom("replies").select("authorId").where("id", "=", replyId).executeTakeFirst();
      if (reply) await refreshExpertise(deps, { communityId, userIds: [reply.authorId] });
    },
  }),
  defineSubscriber({
    name: "routing.topicSolved",
    event: "solution.changed",
    run: async (deps, { topicId, replyId }) => {
      if (replyId !== null) await endClosedOffers(deps, topicId);
    },
  }),
  defineSubscriber({
    name: "routing.membershipEnded",
    event: "membership.ended",
    run: (deps, { communityId, userId }) => endOffersOfMember(deps, communityId, userId),
  }),
  // A suspended member cannot answer: their open offers end, as when they leave.
  defineSubscriber({
    name: "routing.memberSuspended",
    event: "member.suspended",
    run: (deps, { communityId, userId }) => endOffersOfMember(deps, communityId, userId),
  }),
  defineSubscriber({
    name: "routing.replyScored",
    event: "vote.cast",
    run: async (deps, { target, communityId, authorId }) => {
      if (target === "reply") await refreshExpertise(deps, { communityId, userIds: [authorId] });
    },
  }),
];
