import { defineSubscriber } from "../jobs/events.ts";

/**
 * A merged topic is seen by nobody, so its poll (with its ballots) goes to the topic it was merged into, where its
 * question now is a reply, unless that topic has a poll of its own (a topic carries one): then it stays where it was.
 */
export const pollSubscribers = [
  defineSubscriber({
    name: "polls.followMerge",
    event: "topic.merged",
    run: async (deps, { topicId, intoId }) => {
      await deps.db
        .updateTable("polls")
        .set({ topicId: intoId })
        .where("topicId", "=", topicId)
        .where((eb) =>
          eb.not(eb.exists(eb.selectFrom("polls as own").select("own.id").where("own.topicId", "=", intoId))),
        )
        .execute();
    },
  }),
];
