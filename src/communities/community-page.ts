import type { FastifyReply, FastifyRequest } from "fastify";
import type { Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { pageContext } from "../web/layout.ts";
import { pathParams, requireActor } from "../web/page.ts";
import { communityAccess } from "./communities.access.ts";

/**
 * The opening of a page of `/c/:slug/...` that needs a signed-in viewer: the page context, the
 * actor (401 otherwise) and their access to the community (404 when they may not see it).
 */
export async function signedInCommunityPage(deps: Deps, req: FastifyRequest, reply: FastifyReply) {
  const page = pageContext(req, reply, deps);
  const actor = requireActor(page);
  const access = await communityAccess(deps, { slug: pathParams(slugParams, req.params).slug }, page.actor);
  return { page, actor, access };
}
