import type { Deps } from "../core/deps.ts";
import { defineApi, slugParams } from "../http/api.ts";
import {
  categoryParams,
  createCategoryBody,
  createCommunityBody,
  setRoleBody,
  setRoleParams,
  updateCategoryBody,
  updateCommunityBody,
} from "./communities.schema.ts";
import * as communities from "./communities.service.ts";
import { communityAccess } from "./communities.access.ts";
import { allowedOrigins, allowedOriginsBody, setAllowedOrigins } from "./communities.origins.ts";

export function communityRoutes(deps: Deps) {
  return [
    defineApi({
      method: "GET",
      path: "/communities",
      tag: "communities",
      summary: "Communities the caller can see",
      handler: async ({ actor }) => {
        const listed = await communities.listCommunities(deps, actor);
        return {
          communities: listed.communities.map((c) => communities.toPublicCommunity(c)),
          abilities: listed.abilities,
        };
      },
    }),
    defineApi({
      method: "POST",
      path: "/communities",
      tag: "communities",
      summary: "Create a community (platform admin)",
      auth: "required",
      body: createCommunityBody,
      status: 201,
      handler: async ({ actor, body }) => ({
        community: communities.toPublicCommunity(await communities.createCommunity(deps, actor, body), "admin"),
      }),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug",
      tag: "communities",
      summary: "One community with its categories and the caller's role",
      params: slugParams,
      handler: async ({ actor, params }) => {
        const access = await communityAccess(deps, { slug: params.slug }, actor);
        const categories = await communities.listVisibleCategories(deps, access);
        return {
          // role is null for a visitor who is not a member, so the field is always there.
          community: {
            ...communities.toPublicCommunity(access.community),
            role: access.role,
            categories: categories.map(communities.toPublicCategory),
          },
        };
      },
    }),
    defineApi({
      method: "PATCH",
      path: "/communities/:slug",
      tag: "communities",
      summary: "Change the community: name, description, visibility, language, time zone (community admin)",
      auth: "required",
      params: slugParams,
      body: updateCommunityBody,
      handler: async ({ actor, params, body }) => {
        const access = await communityAccess(deps, { slug: params.slug }, actor);
        return { community: communities.toPublicCommunity(await communities.updateCommunity(deps, access, body)) };
      },
    }),
    defineApi({
      method: "POST",
      path: "/communities/:slug/join",
      tag: "communities",
      summary: "Join a public community",
      auth: "required",
      params: slugParams,
      handler: async ({ actor, params }) => {
        const access = await communityAccess(deps, { slug: params.slug }, actor);
        return { role: await communities.join(deps, access) };
      },
    }),
    defineApi({
      method: "PUT",
      path: "/communities/:slug/members/:userId",
      tag: "communities",
      summary: "Add a member or change a member's role (community admin)",
      auth: "required",
      params: setRoleParams,
      body: setRoleBody,
      handler: async ({ actor, params, body }) => {
        const access = await communityAccess(deps, { slug: params.slug }, actor);
        return { member: await communities.setMemberRole(deps, access, params.userId, body.role) };
      },
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/categories",
      tag: "communities",
      summary: "Categories of a community",
      params: slugParams,
      handler: async ({ actor, params }) => {
        const access = await communityAccess(deps, { slug: params.slug }, actor);
        return {
          categories: (await communities.listVisibleCategories(deps, access)).map(communities.toPublicCategory),
        };
      },
    }),
    defineApi({
      method: "POST",
      path: "/communities/:slug/categories",
      tag: "communities",
      summary: "Create a category (community admin)",
      auth: "required",
      params: slugParams,
      body: createCategoryBody,
      status: 201,
      handler: async ({ actor, params, body }) => {
        const access = await communityAccess(deps, { slug: params.slug }, actor);
        return { category: communities.toPublicCategory(await communities.createCategory(deps, access, body)) };
      },
    }),
    defineApi({
      method: "PATCH",
      path: "/communities/:slug/categories/:categoryId",
      tag: "communities",
      summary:
        "Change a category: name, description, who answers (scope), expectation text, SLA deadlines (community admin)",
      auth: "required",
      params: categoryParams,
      body: updateCategoryBody,
      handler: async ({ actor, params, body }) => {
        const access = await communityAccess(deps, { slug: params.slug }, actor);
        return {
          category: communities.toPublicCategory(
            await communities.updateCategory(deps, access, params.categoryId, body),
          ),
        };
      },
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/allowed-origins",
      tag: "communities",
      summary: "The web origins whose pages may use the community's widget endpoints (community admin)",
      auth: "required",
      params: slugParams,
      handler: async ({ actor, params }) => ({
        allowedOrigins: await allowedOrigins(deps, await communityAccess(deps, { slug: params.slug }, actor)),
      }),
    }),
    defineApi({
      method: "PUT",
      path: "/communities/:slug/allowed-origins",
      tag: "communities",
      summary: 'Replace the allowed origins of the widget: ["https://help.example.com"] (community admin)',
      auth: "required",
      params: slugParams,
      body: allowedOriginsBody,
      handler: async ({ actor, params, body }) => ({
        allowedOrigins: await setAllowedOrigins(deps, await communityAccess(deps, { slug: params.slug }, actor), body),
      }),
    }),
  ];
}
