import type { Deps } from "../core/deps.ts";
import { defineApi, slugParams } from "../http/api.ts";
import { communityAccess } from "../communities/index.ts";
import { ssoRequirementBody } from "./sso.schema.ts";
import { getRequirement, setRequirement } from "./sso.requirements.ts";
import { loginPath } from "./sso.views.ts";

/** Single sign-on in the API: the providers to offer, and each community's requirement. */
export function ssoRoutes(deps: Deps) {
  return [
    defineApi({
      method: "GET",
      path: "/auth/oidc/providers",
      tag: "accounts",
      summary: "The single sign-on providers this installation offers, with the page that starts a login",
      handler: async () => ({
        providers: deps.config.oidcProviders.map((p) => ({ name: p.name, label: p.label, loginUrl: loginPath(p) })),
      }),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/sso",
      tag: "communities",
      summary: "The community's single sign-on requirement for posting and for applying as a service friend (admins)",
      auth: "required",
      params: slugParams,
      handler: async ({ actor, params }) =>
        getRequirement(deps, await communityAccess(deps, { slug: params.slug }, actor)),
    }),
    defineApi({
      method: "PUT",
      path: "/communities/:slug/sso",
      tag: "communities",
      summary:
        "Require a single sign-on login (optionally one carrying a claim, e.g. a customer number or a group) " +
        "to post or to apply as a service friend (admins)",
      auth: "required",
      params: slugParams,
      body: ssoRequirementBody,
      handler: async ({ actor, params, body }) =>
        setRequirement(deps, await communityAccess(deps, { slug: params.slug }, actor), body),
    }),
  ];
}
