import { defineApi, slugParams } from "../http/api.js";
import { forbidden } from "../core/errors.js";
import { isOptedOut, questionsForYou, routingSettings, setOptedOut, setRoutingSettings } from "./routing.service.js";
import { routingStats } from "./routing.stats.js";
import { optOutBody, routingSettingsBody, routingStatsQuery } from "./routing.schema.js";
import { communityAccess } from "../communities/index.js";
import { can } from "../access/privileges.js";
/** Questions for you, the routing opt-out, routing settings and routing quality figures. */
export function routingRoutes(deps) {
    return [
        defineApi({
            method: "GET",
            path: "/me/questions-for-you",
            tag: "routing",
            summary: "Questions routed to the caller that still wait for their answer, newest first",
            auth: "required",
            handler: async ({ actor }) => ({
                questions: await questionsForYou(deps, actor),
                optedOut: await isOptedOut(deps.db, actor.id),
            }),
        }),
        defineApi({
            method: "GET",
            path: "/me/routing",
            tag: "routing",
            summary: "Whether the caller opted out of routed questions",
            auth: "required",
            handler: async ({ actor }) => ({ optedOut: await isOptedOut(deps.db, actor.id) }),
        }),
        defineApi({
            method: "PUT",
            path: "/me/routing",
            tag: "routing",
            summary: "Opt out of routed questions ({optedOut: true}) or back in",
            auth: "required",
            body: optOutBody,
            handler: async ({ actor, body }) => ({ optedOut: await setOptedOut(deps, actor.id, body.optedOut) }),
        }),
        defineApi({
            method: "GET",
            path: "/communities/:slug/routing/settings",
            tag: "routing",
            summary: "Routing parameters: experts per question, minutes before re-routing, open routed questions per expert (staff)",
            auth: "required",
            params: slugParams,
            handler: async ({ actor, params }) => {
                const access = await communityAccess(deps, { slug: params.slug }, actor);
                if (!can(access, "stats.routing"))
                    throw forbidden("Only staff can see routing settings.");
                return { settings: await routingSettings(deps.db, access.community.id) };
            },
        }),
        defineApi({
            method: "PUT",
            path: "/communities/:slug/routing/settings",
            tag: "routing",
            summary: "Change routing parameters (community admin)",
            auth: "required",
            params: slugParams,
            body: routingSettingsBody,
            handler: async ({ actor, params, body }) => ({
                settings: await setRoutingSettings(deps, await communityAccess(deps, { slug: params.slug }, actor), body),
            }),
        }),
        defineApi({
            method: "GET",
            path: "/communities/:slug/stats/routing",
            tag: "routing",
            summary: "Routing quality per period (staff): routed questions, share answered by a routed expert, median minutes to the first answer for routed and not-routed questions",
            auth: "required",
            params: slugParams,
            query: routingStatsQuery,
            handler: async ({ actor, params, query }) => routingStats(deps, await communityAccess(deps, { slug: params.slug }, actor), query),
        }),
    ];
}
