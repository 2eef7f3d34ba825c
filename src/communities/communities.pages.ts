import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { setRoleBody, setRoleParams, createCommunityBody } from "./communities.schema.ts";
import * as communities from "./communities.service.ts";
import { inCommunity } from "./communities.access.ts";
import { can } from "../access/privileges.ts";
import { refusedPage } from "../web/page.ts";
import type { PageContext } from "../web/layout.ts";
import { blankForm, type FormState } from "../web/forms.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import { homeView, membersView } from "./communities.views.ts";

/** The front page, joining, and community administration. */
export function communityPages(deps: Deps): PageRoute[] {
  const home = async (page: PageContext, createForm: FormState) => {
    const { communities: list, abilities } = await communities.listCommunities(deps, page.actor);
    return homeView(page, list, abilities.create ? createForm : null);
  };

  /** The member list is for community admins; everyone else gets the same refusal. */
  const asAdmin = async (input: { params: { slug: string }; actor: Actor; page: PageContext }) => {
    const access = await inCommunity(deps)(input);
    if (!can(access, "member.setRole")) throw refusedPage(input.page, "members.adminsOnly");
    return access;
  };

  return [
    definePage(deps, {
      path: "/",
      render: async ({ page }) => home(page, blankForm()),
    }),

    defineForm(deps, {
      path: "/communities/new",
      schema: createCommunityBody,
      run: async ({ actor, data }) => `/c/${(await communities.createCommunity(deps, actor, data)).slug}`,
      rerender: async ({ page, form }) => home(page, form),
      refusals: (page) => ({ conflict: { slug: page.t("community.slugTaken") } }),
    }),

    defineForm(deps, {
      path: "/c/:slug/join",
      params: slugParams,
      load: inCommunity(deps),
      schema: z.object({}),
      run: async ({ context: access }) => {
        await communities.join(deps, access);
        return `/c/${access.community.slug}`;
      },
    }),

    definePage(deps, {
      path: "/c/:slug/members",
      params: slugParams,
      auth: "required",
      load: asAdmin,
      render: async ({ page, context: { community } }) =>
        membersView(page, community, await communities.listMembers(deps, community.id), null),
    }),

    defineForm(deps, {
      path: "/c/:slug/members/:userId",
      params: setRoleParams,
      load: asAdmin,
      schema: setRoleBody,
      run: async ({ params, data, context: access }) => {
        await communities.setMemberRole(deps, access, params.userId, data.role);
        return `/c/${access.community.slug}/members#role-${params.userId}`;
      },
      rerender: async ({ page, form, context: { community } }) =>
        membersView(
          page,
          community,
          await communities.listMembers(deps, community.id),
          form.errors.role ?? form.errors._form ?? page.t("form.invalid"),
        ),
    }),
  ];
}
