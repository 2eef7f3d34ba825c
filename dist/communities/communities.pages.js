import { z } from "zod";
import { slugParams } from "../http/api.js";
import { setRoleBody, setRoleParams, createCommunityBody } from "./communities.schema.js";
import * as communities from "./communities.service.js";
import { inCommunity } from "./communities.access.js";
import { can } from "../access/privileges.js";
import { forbidden } from "../core/errors.js";
import { blankForm } from "../web/forms.js";
import { definePage, defineForm } from "../web/page-route.js";
import { homeView, membersView } from "./communities.views.js";
/** The front page, joining, and community administration. */
export function communityPages(deps) {
    const home = async (page, createForm) => {
        const { communities: list, abilities } = await communities.listCommunities(deps, page.actor);
        return homeView(page, list, abilities.create ? createForm : null);
    };
    /** The member list is for community admins; everyone else gets the same refusal. */
    const asAdmin = async (input) => {
        const access = await inCommunity(deps)(input);
        if (!can(access, "member.setRole"))
            throw forbidden(input.page.t("members.adminsOnly"));
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
            render: async ({ page, context: { community } }) => membersView(page, community, await communities.listMembers(deps, community.id), null),
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
            rerender: async ({ page, form, context: { community } }) => membersView(page, community, await communities.listMembers(deps, community.id), form.errors.role ?? form.errors._form ?? page.t("form.invalid")),
        }),
    ];
}
