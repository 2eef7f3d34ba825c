import type { Deps } from "../core/deps.ts";
import { defineApi, slugParams } from "../http/api.ts";
import { communityAccess } from "../communities/index.ts";
import { insightsQuery, insightsSettingsBody } from "./insights.schema.ts";
import { getInsightsSettings, loadInsights, updateInsightsSettings } from "./insights.service.ts";
import { insightsCsv } from "./insights.csv.ts";

/** The insights of a community: figures, their CSV, and the settings money and days are counted in. */
export function insightsRoutes(deps: Deps) {
  const access = (slug: string, actor: Parameters<typeof communityAccess>[2]) => communityAccess(deps, { slug }, actor);
  return [
    defineApi({
      method: "GET",
      path: "/communities/:slug/insights",
      tag: "insights",
      summary:
        "Community insights for a range (staff, moderators, admins): summary figures with ROI, a series per day, " +
        "week or month, top contributors and trending problems",
      params: slugParams,
      query: insightsQuery,
      handler: async ({ actor, params, query }) => loadInsights(deps, await access(params.slug, actor), query),
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/insights.csv",
      tag: "insights",
      summary: "The insights series as CSV, one row per day, week or month, with a header row",
      params: slugParams,
      query: insightsQuery,
      handler: async ({ actor, params, query, reply }) => {
        const insights = await loadInsights(deps, await access(params.slug, actor), query);
        reply
          .type("text/csv; charset=utf-8")
          .header(
            "content-disposition",
            `attachment; filename="insights-${params.slug}-${insights.from}-${insights.to}-${insights.interval}.csv"`,
          );
        return insightsCsv(insights);
      },
    }),
    defineApi({
      method: "GET",
      path: "/communities/:slug/insights/settings",
      tag: "insights",
      summary: "Cost per contact, currency and time zone of the insights (staff, moderators, admins)",
      params: slugParams,
      handler: async ({ actor, params }) => getInsightsSettings(deps, await access(params.slug, actor)),
    }),
    defineApi({
      method: "PUT",
      path: "/communities/:slug/insights/settings",
      tag: "insights",
      summary: "Change the cost per contact, currency or time zone of the insights (staff, admins)",
      params: slugParams,
      body: insightsSettingsBody,
      handler: async ({ actor, params, body }) => updateInsightsSettings(deps, await access(params.slug, actor), body),
    }),
  ];
}
