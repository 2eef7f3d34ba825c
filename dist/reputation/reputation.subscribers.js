import { defineSubscriber } from "../jobs/events.js";
import { awardBadges } from "./reputation.badges.js";
import { replyById } from "../topics/index.js";
/** Badges are awarded to whoever a post, a vote or a solution may have earned one (idempotent). */
export const reputationSubscribers = [
    defineSubscriber({
        name: "reputation.badges.topicCreated",
        deferred: true,
        event: "topic.created",
        run: (deps, e) => awardBadges(deps, e.communityId, e.authorId).then(() => undefined),
    }),
    defineSubscriber({
        name: "reputation.badges.replyPosted",
        deferred: true,
        event: "reply.posted",
        run: (deps, e) => awardBadges(deps, e.communityId, e.authorId).then(() => undefined),
    }),
    defineSubscriber({
        name: "reputation.badges.commentPosted",
        deferred: true,
        event: "comment.posted",
        run: (deps, e) => awardBadges(deps, e.communityId, e.authorId).then(() => undefined),
    }),
    defineSubscriber({
        name: "reputation.badges.voteCast",
        deferred: true,
        event: "vote.cast",
        run: (deps, e) => awardBadges(deps, e.communityId, e.authorId).then(() => undefined),
    }),
    defineSubscriber({
        name: "reputation.badges.solutionChanged",
        deferred: true,
        event: "solution.changed",
        run: async (deps, e) => {
            const reply = e.replyId === null ? undefined : await replyById(deps, e.replyId);
            if (reply)
                await awardBadges(deps, e.communityId, reply.authorId);
        },
    }),
];
