import { IDEA_STATUSES, ideaStatusLabel } from "../ideas/index.ts";
import type { Category, Community } from "../db/schema.ts";
import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { breadcrumbs, emptyState, timeAgo } from "../web/components.ts";
import { formAlert, inputField, selectField } from "../web/fields.ts";
import type { FormState } from "../web/forms.ts";
import type { MessageKey } from "../i18n/i18n.ts";
import { chart, type ChartSpec } from "./insights.charts.ts";
import { type Formatters, formatters } from "./insights.format.ts";
import { INTERVALS } from "./insights.schema.ts";
import type { Insights, SeriesRow } from "./insights.service.ts";
import type { InsightsSettings } from "./insights.settings.ts";

export const PRESETS = ["7", "30", "90", "custom"] as const;
export type Preset = (typeof PRESETS)[number];

export interface InsightsPageData {
  community: Pick<Community, "slug" | "name">;
  insights: Insights;
  settings: InsightsSettings;
  categories: Category[];
  preset: Preset;
  canConfigure: boolean;
  settingsForm: FormState;
  /**
   * Filters refused (422): what was asked for, with why, shown in the filter form and its alert
   * above the figures of the default range.
   */
  refusedFilters?: FormState;
}

/** The same figures as the page, as the CSV link asks for them. */
export function csvUrl(data: Pick<InsightsPageData, "community" | "insights">): string {
  const { insights } = data;
  const query = new URLSearchParams({ from: insights.from, to: insights.to, interval: insights.interval });
  if (insights.category !== null) query.set("category", String(insights.category));
  return `/api/v1/communities/${data.community.slug}/insights.csv?${query}`;
}

function filterForm(page: PageContext, data: InsightsPageData): Html {
  const { t } = page;
  const { insights } = data;
  const form = data.refusedFilters ?? {
    values: {
      range: data.preset,
      from: insights.from,
      to: insights.to,
      interval: insights.interval,
      category: insights.category === null ? "" : String(insights.category),
    },
    errors: {},
  };
  const labels = {
    range: t("insights.range"),
    from: t("insights.from"),
    to: t("insights.to"),
    interval: t("insights.interval"),
    category: t("insights.category"),
  };
  return html`<form class="filters insights-filters" method="get" action="/c/${data.community.slug}/insights"
  aria-label="${t("insights.filters")}">
${formAlert(page, form, labels, "i-")}
${selectField({
  form,
  id: "i-range",
  name: "range",
  label: t("insights.range"),
  options: PRESETS.map((p) => ({ value: p, label: t(`insights.range.${p}`) })),
})}
${inputField({
  form,
  id: "i-from",
  name: "from",
  label: t("insights.from"),
  type: "date",
  hint: t("insights.datesHint"),
})}
${inputField({ form, id: "i-to", name: "to", label: t("insights.to"), type: "date" })}
${selectField({
  form,
  id: "i-interval",
  name: "interval",
  label: t("insights.interval"),
  options: INTERVALS.map((i) => ({ value: i, label: t(`insights.interval.${i}`) })),
})}
${selectField({
  form,
  id: "i-category",
  name: "category",
  label: t("insights.category"),
  options: [
    { value: "", label: t("insights.allCategories") },
    ...data.categories.map((c) => ({ value: String(c.id), label: c.name })),
  ],
})}
<div class="filter-actions"><button type="submit" class="button">${t("insights.apply")}</button>
<a class="button" href="${csvUrl(data)}" download>${t("insights.csv")}</a></div>
</form>`;
}

function card(page: PageContext, label: MessageKey, value: string, change: string | null): Html {
  return html`<li class="card figure"><span class="figure-label">${page.t(label)}</span>
<strong class="figure-value">${value}</strong>
<span class="figure-change">${
    change === null ? page.t("insights.noChange") : page.t("insights.change", { change })
  }</span>
</li>`;
}

function cards(page: PageContext, f: Formatters, { summary: now, previous: before }: Insights): Html {
  const counts = (
    key:
      | "topics"
      | "questions"
      | "unanswered"
      | "escalated"
      | "deflected"
      | "searches"
      | "suggestionsShown"
      | "newMembers"
      | "activeMembers",
  ) => card(page, `insights.${key}`, f.count(now[key]), f.countChange(now[key], before[key]));
  const rates = (key: "answerRate" | "solvedRate", label: MessageKey) =>
    card(page, label, f.rate(now[key]), f.rateChange(now[key], before[key]));
  return html`<section aria-labelledby="figures-title"><h2 id="figures-title">${page.t("insights.figures")}</h2>
<ul class="figures" role="list">
${counts("topics")}${counts("questions")}${rates("answerRate", "insights.answerRate")}${counts("unanswered")}
${card(
  page,
  "insights.firstResponse",
  f.duration(now.firstResponseMedianMinutes),
  f.durationChange(now.firstResponseMedianMinutes, before.firstResponseMedianMinutes),
)}
${rates("solvedRate", "insights.solvedRate")}${counts("escalated")}
${card(
  page,
  "insights.communityShare",
  f.rate(now.communityAnswerShare),
  f.rateChange(now.communityAnswerShare, before.communityAnswerShare),
)}
${counts("deflected")}${counts("searches")}${counts("suggestionsShown")}
${counts("newMembers")}${counts("activeMembers")}
${card(page, "insights.net", f.money(now.roi.netCents), f.moneyChange(now.roi.netCents, before.roi.netCents))}
</ul>
<p class="hint">${page.t("insights.deflectionRatio", {
    deflected: page.tn("insights.deflectionRatio.deflected", now.deflected, { count: f.count(now.deflected) }),
    searches: page.tn("insights.deflectionRatio.searches", now.searches, { count: f.count(now.searches) }),
    shown: page.tn("insights.deflectionRatio.shown", now.suggestionsShown, { count: f.count(now.suggestionsShown) }),
  })}</p>
</section>`;
}

function roiSection(page: PageContext, f: Formatters, insights: Insights): Html {
  const { t } = page;
  const roi = insights.summary.roi;
  return html`<section aria-labelledby="roi-title" class="card"><h2 id="roi-title">${t("insights.roi")}</h2>
<p>${t("insights.roi.formula")}</p>
${roi.costPerContactCents === 0 ? html`<p class="notice warning">${t("insights.roi.unset")}</p>` : ""}
<dl class="roi">
<dt>${t("insights.deflected")}</dt><dd>${f.count(roi.deflected)}</dd>
<dt>${t("insights.roi.cost")}</dt><dd>× ${f.money(roi.costPerContactCents)}</dd>
<dt>${t("insights.roi.savings")}</dt><dd>= ${f.money(roi.savingsCents)}</dd>
<dt>${t("insights.roi.rewards")}</dt><dd>− ${f.money(roi.rewardsCents)}</dd>
<dt>${t("insights.net")}</dt><dd><strong>= ${f.money(roi.netCents)}</strong></dd>
</dl></section>`;
}

type SeriesKey = "topics" | "answerRate" | "firstResponseMedianMinutes" | "solved" | "deflected" | "netCents";

function charts(page: PageContext, f: Formatters, data: InsightsPageData): Html {
  const { t } = page;
  const series = data.insights.series;
  const spec = (
    key: SeriesKey,
    title: string,
    kind: ChartSpec["kind"],
    format: (v: number) => string,
    scale = (v: number) => v,
  ): ChartSpec => ({
    id: `chart-${key}`,
    title,
    kind,
    format,
    empty: t("insights.chart.empty"),
    points: series.map((row) => ({ label: row.date, value: row[key] === null ? null : scale(row[key] as number) })),
    describe: ({ count, min, max }) =>
      page.tn("insights.chart.desc", count, {
        count: f.count(count),
        from: data.insights.from,
        to: data.insights.to,
        min,
        max,
      }),
  });
  const whole = (v: number) => f.count(Math.round(v));
  return html`<section aria-labelledby="charts-title"><h2 id="charts-title">${t("insights.overTime")}</h2>
<div class="charts">
${chart(spec("topics", t("insights.chart.topics"), "bars", whole))}
${chart(spec("answerRate", t("insights.chart.answerRate"), "line", whole, (v) => v * 100))}
${chart(spec("firstResponseMedianMinutes", t("insights.chart.firstResponse"), "line", whole))}
${chart(spec("solved", t("insights.chart.solved"), "bars", whole))}
${chart(spec("deflected", t("insights.chart.deflected"), "bars", whole))}
${chart(spec("netCents", t("insights.chart.net", { currency: data.settings.currency }), "bars", (v) => f.money(v)))}
</div>
${seriesTable(page, f, series)}
</section>`;
}

function seriesTable(page: PageContext, f: Formatters, series: SeriesRow[]): Html {
  const { t } = page;
  return html`<details class="series-table"><summary>${t("insights.table")}</summary><div class="table-wrap"><table>
<thead>
<tr>
<th scope="col">${t("insights.date")}</th>
<th scope="col">${t("insights.topics")}</th>
<th scope="col">${t("insights.answerRate")}</th>
<th scope="col">${t("insights.firstResponse")}</th>
<th scope="col">${t("insights.solvedRate")}</th>
<th scope="col">${t("insights.deflected")}</th>
<th scope="col">${t("insights.net")}</th>
</tr>
</thead>
<tbody>${series.map(
    (r) =>
      html`<tr>
<th scope="row">${r.date}</th>
<td>${f.count(r.topics)}</td>
<td>${f.rate(r.answerRate)}</td>
<td>${f.duration(r.firstResponseMedianMinutes)}</td>
<td>${f.rate(r.solvedRate)}</td>
<td>${f.count(r.deflected)}</td>
<td>${f.money(r.netCents)}</td>
</tr>`,
  )}</tbody></table></div></details>`;
}

function trendingTable(page: PageContext, f: Formatters, insights: Insights): Html {
  const { t } = page;
  return html`<section aria-labelledby="trending-title"><h2 id="trending-title">${t("insights.trending")}</h2>${
    insights.trending.length
      ? html`<div class="table-wrap">
<table>
<thead>
<tr>
<th scope="col">${t("insights.trend.term")}</th>
<th scope="col">${t("insights.trend.current")}</th>
<th scope="col">${t("insights.trend.previous")}</th>
<th scope="col">${t("insights.trend.change")}</th>
</tr>
</thead>
<tbody>${insights.trending.map(
          (tr) =>
            html`<tr>
<th scope="row">${tr.term} <span class="hint">(${t(`insights.trend.${tr.type}`)})</span>
</th>
<td>${f.count(tr.current)}</td>
<td>${f.count(tr.previous)}</td>
<td>+${f.count(tr.change)}</td>
</tr>`,
        )}</tbody></table></div>`
      : emptyState(t("insights.trend.none"))
  }</section>`;
}

function contributorsTable(page: PageContext, f: Formatters, insights: Insights, staff: boolean): Html {
  const { t } = page;
  const id = staff ? "staff-title" : "contributors-title";
  const rows = insights.topContributors.filter((c) => c.staff === staff);
  return html`<section aria-labelledby="${id}">
<h2 id="${id}">${t(staff ? "insights.staffContributors" : "insights.contributors")}</h2>${
    rows.length
      ? html`<div class="table-wrap">
<table>
<thead>
<tr>
<th scope="col">${t("insights.contributor")}</th>
<th scope="col">${t("insights.answers")}</th>
<th scope="col">${t("insights.accepted")}</th>
</tr>
</thead>
<tbody>${rows.map(
          (c) => html`<tr>
<th scope="row">${c.name}</th>
<td>${f.count(c.answers)}</td>
<td>${f.count(c.accepted)}</td>
</tr>`,
        )}</tbody>
</table>
</div>`
      : emptyState(t("insights.contributors.none"))
  }</section>`;
}

function waitingTable(page: PageContext, insights: Insights): Html {
  const { t } = page;
  return html`<section aria-labelledby="waiting-title"><h2 id="waiting-title">${t("insights.waiting")}</h2>${
    insights.unansweredOldest.length
      ? html`<ol class="waiting" role="list">${insights.unansweredOldest.map(
          (q) => html`<li>
<a href="${q.url}">${q.title}</a> <span class="hint">${t("insights.asked")} ${timeAgo(page, q.createdAt)}</span>
</li>`,
        )}</ol>`
      : emptyState(t("insights.waiting.none"))
  }</section>`;
}

function ideasSection(page: PageContext, f: Formatters, insights: Insights): Html {
  const { counts, newToDone } = insights.ideas;
  if (IDEA_STATUSES.every((s) => counts[s] === 0)) return html``;
  const { t } = page;
  return html`<section aria-labelledby="ideas-title"><h2 id="ideas-title">${t("insights.ideas")}</h2>
<ul class="figures" role="list">${IDEA_STATUSES.map(
    (s) => html`<li class="card figure">
<span class="figure-label">${t(ideaStatusLabel(s))}</span>
<strong class="figure-value">${f.count(counts[s])}</strong>
</li>`,
  )}
<li class="card figure">
<span class="figure-label">${t("insights.ideas.newToDone")}</span>
<strong class="figure-value">${
    newToDone.medianDays === null
      ? t("insights.noValue")
      : page.tn("insights.ideas.days", newToDone.medianDays, { count: f.count(newToDone.medianDays) })
  }</strong>
</li>
</ul></section>`;
}

function marketplaceSection(page: PageContext, f: Formatters, insights: Insights): Html {
  const m = insights.summary.marketplace;
  if (m.bookings === 0 && m.ratings === 0 && m.bookedValueByCurrency.length === 0) return html``;
  const { t } = page;
  // Amounts in different currencies are never added up: the insights' currency, then any other.
  const others = m.bookedValueByCurrency.filter((p) => p.currency !== insights.summary.roi.currency);
  const paid = (cents: number, key: "valueCents" | "feesCents") =>
    [f.money(cents), ...others.map((p) => f.moneyIn(p[key], p.currency))].join(" · ");
  return html`<section aria-labelledby="market-title"><h2 id="market-title">${t("insights.marketplace")}</h2>
<ul class="figures" role="list">
<li class="card figure">
<span class="figure-label">${t("insights.market.helpers")}</span>
<strong class="figure-value">${f.count(m.activeHelpers)}</strong>
</li>
<li class="card figure">
<span class="figure-label">${t("insights.market.bookings")}</span>
<strong class="figure-value">${f.count(m.bookings)}</strong>
</li>
<li class="card figure">
<span class="figure-label">${t("insights.market.completed")}</span>
<strong class="figure-value">${f.rate(m.completionRate)}</strong>
</li>
<li class="card figure">
<span class="figure-label">${t("insights.market.cancelled")}</span>
<strong class="figure-value">${f.rate(m.cancellationRate)}</strong>
</li>
<li class="card figure">
<span class="figure-label">${t("insights.market.rating")}</span>
<strong class="figure-value">${m.averageRating === null ? t("insights.noValue") : f.count(m.averageRating)}</strong>
</li>
<li class="card figure">
<span class="figure-label">${t("insights.market.value")}</span>
<strong class="figure-value">${paid(m.bookedValueCents, "valueCents")}</strong>
</li>
<li class="card figure">
<span class="figure-label">${t("insights.market.fees")}</span>
<strong class="figure-value">${paid(m.platformFeesCents, "feesCents")}</strong>
</li>
</ul>
${
  m.bookingsByService.length
    ? html`<div class="table-wrap">
<table>
<thead>
<tr>
<th scope="col">${t("insights.market.service")}</th>
<th scope="col">${t("insights.market.bookings")}</th>
<th scope="col">${t("insights.market.completed")}</th>
<th scope="col">${t("insights.market.cancelled")}</th>
</tr>
</thead>
<tbody>${m.bookingsByService.map(
        (s) => html`<tr>
<th scope="row">${s.name}</th>
<td>${f.count(s.bookings)}</td>
<td>${f.count(s.completed)}</td>
<td>${f.count(s.cancelled)}</td>
</tr>`,
      )}</tbody>
</table>
</div>`
    : ""
}
</section>`;
}

function settingsForm(page: PageContext, data: InsightsPageData): Html {
  if (!data.canConfigure) return html``;
  const { t } = page;
  const form = data.settingsForm;
  const labels = {
    costPerContactCents: t("insights.settings.cost"),
    currency: t("insights.settings.currency"),
    timezone: t("insights.settings.timezone"),
  };
  return html`<section class="card" aria-labelledby="settings-title">
<h2 id="settings-title">${t("insights.settings")}</h2>
${formAlert(page, form, labels)}
<form method="post" action="/c/${data.community.slug}/insights/settings" novalidate class="grid-form">
${page.csrfField()}
${inputField({
  form,
  id: "s-cost",
  name: "costPerContactCents",
  label: labels.costPerContactCents,
  type: "number",
  hint: t("insights.settings.costHint"),
})}
${inputField({ form, id: "s-currency", name: "currency", label: labels.currency, maxlength: 3 })}
${inputField({ form, id: "s-timezone", name: "timezone", label: labels.timezone, maxlength: 64 })}
<div class="actions"><button type="submit" class="button">${t("insights.settings.save")}</button></div>
</form></section>`;
}

export function insightsView(page: PageContext, data: InsightsPageData): PageView {
  const { t } = page;
  const { community, insights } = data;
  const f = formatters(page, data.settings.currency);
  const base = `/c/${community.slug}`;
  return {
    title: `${t("insights.title")} · ${community.name}`,
    content: html`${breadcrumbs(page, [
      { label: t("home.title"), href: "/" },
      { label: community.name, href: base },
      { label: t("insights.title") },
    ])}
<h1>${t("insights.title")}</h1>
<p class="lead">${t("insights.lead", {
      from: insights.from,
      to: insights.to,
    })} <span class="hint">${t("insights.zone", { zone: insights.timezone })}</span>
</p>
${filterForm(page, data)}
${cards(page, f, insights)}
${roiSection(page, f, insights)}
${charts(page, f, data)}
<div class="insights-tables">
${trendingTable(page, f, insights)}
${contributorsTable(page, f, insights, false)}
${contributorsTable(page, f, insights, true)}
${waitingTable(page, insights)}
</div>
${ideasSection(page, f, insights)}
${marketplaceSection(page, f, insights)}
${settingsForm(page, data)}`,
  };
}
