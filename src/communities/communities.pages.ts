import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { setRoleBody, setRoleParams, createCommunityBody } from "./communities.schema.ts";
import * as communities from "./communities.service.ts";
import { communityAccess } from "./communities.access.ts";
import { can } from "../access/privileges.ts";
import { forbidden } from "../core/errors.ts";
import { pageContext, type PageContext } from "../web/layout.ts";
import { pathParams, requireActor, sendPage } from "../web/page.ts";
import { blankForm, submitForm, type FormState } from "../web/forms.ts";
import { homeView, membersView } from "./communities.views.ts";

/** The front page, joining, and community administration. */
export function registerCommunityPages(app: FastifyInstance, deps: Deps): void {
  const home = async (page: PageContext, createForm: FormState) =>
    homeView(
      page,
      await communities.listCommunities(deps, page.actor),
      page.actor?.isPlatformAdmin ? createForm : null,
    );

  app.get("/", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    return sendPage(page, await home(page, blankForm()));
  });

  app.post("/communities/new", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    return submitForm(page, {
      schema: createCommunityBody,
      run: async (input) => `/c/${(await communities.createCommunity(deps, actor, input)).slug}`,
      rerender: (form) => home(page, form),
      refusals: { conflict: { slug: page.t("community.slugTaken") } },
    });
  });

  app.post("/c/:slug/join", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    requireActor(page);
    const { slug } = pathParams(slugParams, req.params);
    return submitForm(page, {
      schema: z.object({}),
      run: async () => {
        const access = await communityAccess(deps, { slug: slug }, page.actor);
        await communities.join(deps, access);
        return `/c/${access.community.slug}`;
      },
    });
  });

  /** The member list for community admins; everyone else gets the same refusal. */
  async function adminAccess(page: PageContext, slug: string) {
    requireActor(page);
    const access = await communityAccess(deps, { slug: slug }, page.actor);
    if (!can(access, "member.setRole")) throw forbidden(page.t("members.adminsOnly"));
    return access;
  }

  app.get("/c/:slug/members", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const access = await adminAccess(page, pathParams(slugParams, req.params).slug);
    return sendPage(
      page,
      membersView(page, access.community, await communities.listMembers(deps, access.community.id), null),
    );
  });

  app.post("/c/:slug/members/:userId", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const params = pathParams(setRoleParams, req.params);
    const access = await adminAccess(page, params.slug);
    const members = `/c/${access.community.slug}/members`;
    return submitForm(page, {
      schema: setRoleBody,
      run: async (input) => {
        await communities.setMemberRole(deps, access, params.userId, input.role);
        return `${members}#role-${params.userId}`;
      },
      rerender: async (form) =>
        membersView(
          page,
          access.community,
          await communities.listMembers(deps, access.community.id),
          form.errors.role ?? form.errors._form ?? page.t("form.invalid"),
        ),
    });
  });
}
