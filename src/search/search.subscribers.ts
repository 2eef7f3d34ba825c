import type { EventName } from "../jobs/events.ts";
import { defineSubscriber } from "../jobs/events.ts";
import { recordTopicPosted } from "./deflection.service.ts";
import { ensureIndexed, indexTopic } from "./search.index.ts";

/** Everything that changes what a topic's search document holds: its text, replies, solution, visibility. */
const REINDEX = [
  "topic.created",
  "topic.edited",
  "reply.posted",
  "reply.edited",
  "solution.changed",
  "post.moderated",
] as const satisfies readonly EventName[];

/** The search index follows topics; a posted topic also closes the visit it came from (deflection). */
export const searchSubscribers = [
  ...REINDEX.map((event) =>
    defineSubscriber({ name: `search.index.${event}`, event, run: (deps, e) => indexTopic(deps, e.topicId) }),
  ),
  defineSubscriber({
    name: "search.index.topic.merged",
    event: "topic.merged",
    // The merged topic's replies are now searchable under the target.
    run: (deps, e) => indexTopic(deps, e.intoId),
  }),
  defineSubscriber({
    name: "search.index.community.languageChanged",
    event: "community.languageChanged",
    // Queries are analysed in the community's language: its documents are stemmed again to match.
    run: async (deps, e) => {
      await ensureIndexed(deps, { communityId: e.communityId });
    },
  }),
  defineSubscriber({
    name: "search.deflection.topicPosted",
    // Submitted, not shown: a question held for review was asked too, approved or not.
    event: "topic.submitted",
    run: (deps, e) =>
      recordTopicPosted(deps, {
        communityId: e.communityId,
        topicId: e.topicId,
        userId: e.authorId,
        visitId: e.visitId,
      }),
  }),
];
