import { defineSubscriber } from "../jobs/events.js";
import { recordTopicPosted } from "./deflection.service.js";
import { indexTopic } from "./search.index.js";
/** Everything that changes what a topic's search document holds: its text, replies, solution, visibility. */
const REINDEX = [
    "topic.created",
    "topic.edited",
    "reply.posted",
    "reply.edited",
    "solution.changed",
    "post.moderated",
];
/** The search index follows topics; a posted topic also closes the visit it came from (deflection). */
export const searchSubscribers = [
    ...REINDEX.map((event) => defineSubscriber({ name: `search.index.${event}`, event, run: (deps, e) => indexTopic(deps, e.topicId) })),
    defineSubscriber({
        name: "search.index.topic.merged",
        event: "topic.merged",
        // The merged topic's replies are now searchable under the target.
        run: (deps, e) => indexTopic(deps, e.intoId),
    }),
    defineSubscriber({
        name: "search.deflection.topicPosted",
        event: "topic.created",
        run: (deps, e) => recordTopicPosted(deps, {
            communityId: e.communityId,
            topicId: e.topicId,
            userId: e.authorId,
            visitId: e.visitId,
        }),
    }),
];
