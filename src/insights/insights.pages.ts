import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import type { CommunityAccess } from "../access/access.ts";
import { can } from "../access/privileges.ts";
import { slugParams } from "../http/api.ts";
import { inCommunity, listVisibleCategories } from "../communities/index.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import { blankForm, type FormState, formNumber } from "../web/forms.ts";
import type { PageContext } from "../web/layout.ts";
import { AppError } from "../core/errors.ts";
import type { MessageKey } from "../i18n/i18n.ts";
import { insightsQuery, insightsSettingsBody, type InsightsQuery } from "./insights.schema.ts";
import {
  assertMayConfigureInsights,
  assertMayViewInsights,
  loadInsights,
  mayChartCategory,
  updateInsightsSettings,
} from "./insights.service.ts";
import { insightsSettings } from "./insights.settings.ts";
import { addDays, localDate } from "./insights.time.ts";
import { PRESETS, type Preset, insightsView } from "./insights.views.ts";

/** What each refused filter says on the page. */
const FILTER_ERRORS: Record<string, MessageKey> = {
  range: "insights.error.choose",
  from: "insights.error.dates",
  to: "insights.error.dates",
  interval: "insights.error.choose",
  category: "insights.error.choose",
};

const pageQuery = insightsQuery.extend({
  /** A preset range ending today, or "custom" for the from and to dates. */
  range: z.enum(PRESETS).optional(),
});

/** The Insights page (staff, moderators, admins) and its settings form (staff, admins). */
export function insightsPages(deps: Deps): PageRoute[] {
  // Who may come in is settled before the query or the form is read: a member is refused (403)
  // whatever they send, not told first what is wrong with their dates.
  const allowed =
    (check: (access: CommunityAccess) => void) => async (input: Parameters<ReturnType<typeof inCommunity>>[0]) => {
      const access = await inCommunity(deps)(input);
      check(access);
      return access;
    };
  const render = async (
    page: PageContext,
    access: CommunityAccess,
    query: z.infer<typeof pageQuery>,
    form?: FormState,
    refusedFilters?: FormState,
  ) => {
    assertMayViewInsights(access);
    const settings = await insightsSettings(deps.db, access.community.id);
    const preset: Preset = query.range ?? (query.from || query.to ? "custom" : "30");
    const today = localDate(deps.clock.now(), settings.timezone);
    const range: Pick<InsightsQuery, "from" | "to"> =
      preset === "custom" ? query : { from: addDays(today, 1 - Number(preset)), to: today };
    const [insights, categories] = await Promise.all([
      loadInsights(deps, access, { ...query, ...range }),
      listVisibleCategories(deps, access),
    ]);
    return insightsView(page, {
      community: access.community,
      insights,
      settings,
      categories: categories.filter((c) => mayChartCategory(access, c)),
      preset,
      canConfigure: can(access, "insights.configure"),
      refusedFilters,
      settingsForm:
        form ??
        blankForm({
          costPerContactCents: String(settings.costPerContactCents),
          currency: settings.currency,
          timezone: settings.timezone,
        }),
    });
  };
  /**
   * The page for the filters asked for; filters refused (a date that is none, a range the wrong way
   * round or over two years, a category one may not chart) answer 422 with the page of the default
   * range, the filter form holding what was asked for and saying why in the reader's language.
   */
  const renderFiltered = async (page: PageContext, access: CommunityAccess, raw: unknown) => {
    const asked = Object.fromEntries(
      Object.entries((raw ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === "string" && v !== ""),
    ) as Record<string, string>;
    const refuse = async (fields: string[]) => {
      const errors = Object.fromEntries(fields.map((field) => [field, page.t(FILTER_ERRORS[field] ?? "form.invalid")]));
      return {
        ...(await render(page, access, { interval: "day" }, undefined, { values: asked, errors })),
        status: 422,
      };
    };
    const parsed = pageQuery.safeParse(asked);
    if (!parsed.success) return refuse(parsed.error.issues.map((issue) => String(issue.path[0])));
    try {
      return await render(page, access, parsed.data);
    } catch (error) {
      if (error instanceof AppError && error.code === "validation_failed" && error.fields)
        return refuse(Object.keys(error.fields));
      throw error;
    }
  };
  return [
    definePage(deps, {
      path: "/c/:slug/insights",
      params: slugParams,
      auth: "required",
      load: allowed(assertMayViewInsights),
      render: ({ page, context: access }) => renderFiltered(page, access, page.req.query),
    }),
    defineForm(deps, {
      path: "/c/:slug/insights/settings",
      params: slugParams,
      load: allowed(assertMayConfigureInsights),
      schema: insightsSettingsBody,
      toInput: (v) => ({
        costPerContactCents: formNumber(v.costPerContactCents),
        currency: v.currency?.trim().toUpperCase() || undefined,
        timezone: v.timezone?.trim() || undefined,
      }),
      run: async ({ params, context: access, data }) => {
        await updateInsightsSettings(deps, access, data);
        return `/c/${params.slug}/insights`;
      },
      rerender: ({ page, context: access, form }) => render(page, access, { interval: "day" }, form),
    }),
  ];
}
