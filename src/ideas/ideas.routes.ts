import type { Deps } from "../core/deps.ts";
import { defineApi, idParams, slugParams } from "../http/api.ts";
import { communityAccess } from "../communities/index.ts";
import { ideaStatusBody, ideasQuery } from "./ideas.schema.ts";
import { ideaFigures, ideaProgressOf, listIdeas, setIdeaStatus } from "./ideas.service.ts";

/** The ideas pipeline: status changes by staff and the board. */
export function ideaRoutes(deps: Deps) {
  return [
    defineApi({
      method: "PUT",
      path: "/topics/:id/idea-status",
      tag: "ideas",
      summary:
        "Set an idea's status (new, under_review, planned, in_progress, done, declined) with an optional public " +
        "note (staff); voters and followers are notified",
      auth: "required",
      params: idParams,
      body: ideaStatusBody,
      handler: async ({ actor, params, body }) => setIdeaStatus(deps, params.id, actor, body),
    }),
    defineApi({
      method: "GET",
      path: "/topics/:id/idea-status",
      tag: "ideas",
      summary: "An idea's status and its dated timeline of changes with the staff member's name and note",
      params: idParams,
      handler: async ({ actor, params }) => ideaProgressOf(deps, params.id, actor),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/ideas",
      tag: "ideas",
      summary:
        "The ideas board: ideas with their status, by votes or most recent change, filtered by status and " +
        "category, with counts per status",
      params: slugParams,
      query: ideasQuery,
      handler: async ({ actor, params, query }) =>
        listIdeas(deps, await communityAccess(deps, { slug: params.slug }, actor), query),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/stats/ideas",
      tag: "ideas",
      summary:
        "The ideas figures of the community's analytics (staff): ideas in each status, and days from posting to " +
        "done (median, mean, over how many ideas)",
      auth: "required",
      params: slugParams,
      handler: async ({ actor, params }) =>
        ideaFigures(deps, await communityAccess(deps, { slug: params.slug }, actor)),
    }),
  ];
}
