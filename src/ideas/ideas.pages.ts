import type { Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { inCommunity, listVisibleCategories } from "../communities/index.ts";
import { topicPageWithRefusedForm, topicParams, topicWithAccess } from "../topics/index.ts";
import { notFound } from "../core/errors.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import { pageContext } from "../web/layout.ts";
import { pathParams } from "../web/page.ts";
import { communityAccess } from "../communities/index.ts";
import { ideaStatusBody, ideasQuery } from "./ideas.schema.ts";
import { listIdeas, recentChanges, setIdeaStatus } from "./ideas.service.ts";
import { atomFeed, boardView } from "./ideas.views.ts";
import { IDEA_STATUS_FORM } from "./ideas.panels.ts";

/** The ideas board, its Atom feed, and the staff's status form on an idea. */
export function ideaPages(deps: Deps): PageRoute[] {
  return [
    definePage(deps, {
      path: "/c/:slug/ideas",
      params: slugParams,
      query: ideasQuery,
      load: inCommunity(deps),
      render: async ({ page, query, context: access }) => {
        const [categories, board] = await Promise.all([
          listVisibleCategories(deps, access),
          listIdeas(deps, access, query),
        ]);
        return boardView(page, { community: access.community, categories, filter: query, ...board });
      },
    }),

    {
      method: "GET",
      path: "/c/:slug/ideas/feed.atom",
      handle: async (req, reply) => {
        const { slug } = pathParams(slugParams, req.params);
        const access = await communityAccess(deps, { slug }, req.actor);
        const changes = await recentChanges(deps, access);
        const page = pageContext(req, reply, deps);
        const body = atomFeed(page.t, deps.config.baseUrl, access.community, changes, deps.clock.now());
        return (
          reply
            .header("content-type", "application/atom+xml; charset=utf-8")
            // Signed in, the feed may hold ideas only this viewer reads (private categories): never shared.
            .header(
              "cache-control",
              access.community.visibility === "public" && !req.actor ? "public, max-age=300" : "private, no-store",
            )
            // Its statuses are in the visitor's language (browser or switcher): shared caches keep one per language.
            .header("vary", "Accept-Language, Cookie, Authorization")
            .send(body)
        );
      },
    },

    defineForm(deps, {
      path: "/c/:slug/t/:id/idea-status",
      params: topicParams,
      // The idea under its own community's address only: /c/other/t/ID/idea-status is not found.
      load: async ({ params, actor }) => {
        const { access } = await topicWithAccess(deps, params.id, actor);
        if (access.community.slug !== params.slug) throw notFound("Topic");
      },
      schema: ideaStatusBody,
      run: async ({ actor, params, data }) => {
        const { topic } = await setIdeaStatus(deps, params.id, actor, data);
        return `${topic.url}#idea-status`;
      },
      rerender: async ({ page, params, form }) =>
        topicPageWithRefusedForm(deps, page, params.id, { name: IDEA_STATUS_FORM, form }),
    }),
  ];
}
