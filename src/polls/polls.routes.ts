import type { Deps } from "../core/deps.ts";
import { defineApi, idParams } from "../http/api.ts";
import { createPollBody, pollVoteBody } from "./polls.schema.ts";
import { castVote, createPoll, getPoll } from "./polls.service.ts";

/** Polls on topics: add one, vote (changeable until it closes), read it with the results the viewer may see. */
export function pollRoutes(deps: Deps) {
  return [
    defineApi({
      method: "POST",
      path: "/topics/:id/poll",
      tag: "polls",
      summary:
        "Add a poll to a topic (its author or staff): 2 to 10 options, single or multiple choice, an optional " +
        "closing time; one poll per topic (409)",
      auth: "required",
      params: idParams,
      body: createPollBody,
      status: 201,
      handler: async ({ actor, params, body }) => createPoll(deps, params.id, actor, body),
    }),
    defineApi({
      method: "POST",
      path: "/polls/:id/votes",
      tag: "polls",
      summary:
        "Vote, or change one's vote, until the poll closes (409 after); the ballot replaces the previous one. " +
        "A locked topic's poll takes no votes (403) until it is unlocked. Answers the poll with its results",
      auth: "required",
      params: idParams,
      body: pollVoteBody,
      handler: async ({ actor, params, body }) => castVote(deps, params.id, actor, body.optionIds),
    }),
    defineApi({
      method: "GET",
      path: "/polls/:id",
      tag: "polls",
      summary:
        "A poll: options, the caller's vote, and the results (votes per option) once the caller voted or the poll " +
        "closed or its topic is locked (topicLocked); anonymous visitors always see the results",
      params: idParams,
      handler: async ({ actor, params }) => getPoll(deps, params.id, actor),
    }),
  ];
}
