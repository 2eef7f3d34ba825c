import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import type { Community } from "../db/schema.ts";
import { slugParams } from "../http/api.ts";
import {
  MEMBERS_LIMIT_DEFAULT,
  type MembersQuery,
  createCommunityBody,
  membersQuery,
  setRoleBody,
  setRoleParams,
} from "./communities.schema.ts";
import * as communities from "./communities.service.ts";
import { inCommunity } from "./communities.access.ts";
import { can } from "../access/privileges.ts";
import { refusedPage } from "../web/page.ts";
import type { PageContext } from "../web/layout.ts";
import { blankForm, type FormState, type FormValues } from "../web/forms.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import { homeView, membersView } from "./communities.views.ts";

/** The address of the member list's page at `offset`, as many members a page as this one. */
function membersHref(slug: string, { limit, offset }: MembersQuery): string {
  const query = new URLSearchParams({ offset: String(offset) });
  if (limit !== MEMBERS_LIMIT_DEFAULT) query.set("limit", String(limit));
  return `/c/${slug}/members?${query.toString()}`;
}

/** The page of the member list a role form was posted from (its hidden fields); the first if they are off. */
const postedFrom = (values: FormValues): MembersQuery => membersQuery.catch(membersQuery.parse({})).parse(values);

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

  /** A page of the member list, linking to the next one; `error` says why a role change was refused. */
  const members = async (page: PageContext, community: Community, query: MembersQuery, error: string | null) => {
    const { members: list, nextOffset } = await communities.listMembers(deps, community.id, query);
    const more = nextOffset === null ? null : membersHref(community.slug, { ...query, offset: nextOffset });
    return membersView(page, community, list, error, query, more);
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
      query: membersQuery,
      auth: "required",
      load: asAdmin,
      render: async ({ page, query, context: { community } }) => members(page, community, query, null),
    }),

    defineForm(deps, {
      path: "/c/:slug/members/:userId",
      params: setRoleParams,
      load: asAdmin,
      schema: setRoleBody,
      // Back to the page the form was on (a member past the first page is not on the first).
      run: async ({ params, data, values, context: access }) => {
        await communities.setMemberRole(deps, access, params.userId, data.role);
        return `${membersHref(access.community.slug, postedFrom(values))}#role-${params.userId}`;
      },
      rerender: async ({ page, form, context: { community } }) =>
        members(
          page,
          community,
          postedFrom(form.values),
          form.errors.role ?? form.errors._form ?? page.t("form.invalid"),
        ),
    }),
  ];
}
