import { defineSubscriber } from "../jobs/events.js";
import { SOLVABLE_KINDS } from "../topics/index.js";
import { topicsByIds } from "../topics/index.js";
import { refreshExpertise } from "./expertise.service.js";
import { markRouteAnswered, scheduleRouting } from "./routing.service.js";
/**
 * Routing reacts to topics: a new question in a crowd category is offered to experts, an answer by
 * a routed expert counts, and answers, votes and solutions update the answerers' expertise.
 */
export const routingSubscribers = [
    defineSubscriber({
        name: "routing.topicCreated",
        event: "topic.created",
        run: async (deps, { topicId }) => {
            const topic = (await topicsByIds(deps, [topicId])).get(topicId);
            if (!topic || !SOLVABLE_KINDS.includes(topic.kind) || (topic.categoryScope ?? "crowd") !== "crowd")
                return;
            await scheduleRouting(deps, topicId);
        },
    }),
    defineSubscriber({
        name: "routing.replyPosted",
        event: "reply.posted",
        run: async (deps, { topicId, communityId, authorId }) => {
            const topic = (await topicsByIds(deps, [topicId])).get(topicId);
            if (!topic || authorId === topic.authorId)
                return;
            await markRouteAnswered(deps, topicId, authorId);
            await refreshExpertise(deps, { communityId, userIds: [authorId] });
        },
    }),
    defineSubscriber({
        name: "routing.solutionChanged",
        event: "solution.changed",
        run: (deps, { topicId, communityId }) => refreshExpertise(deps, { communityId, topicId }),
    }),
    defineSubscriber({
        name: "routing.replyScored",
        event: "vote.cast",
        run: async (deps, { target, communityId, authorId }) => {
            if (target === "reply")
                await refreshExpertise(deps, { communityId, userIds: [authorId] });
        },
    }),
];
