import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { blankForm, type FormState } from "../web/forms.ts";
import { formAlert, inputField, radioGroup, selectField, textareaField } from "../web/fields.ts";
import { actionButton, badge, timeAgo, card, emptyState } from "../web/components.ts";
import type { Category, Community } from "../db/schema.ts";
import type { toApplication } from "./applications.service.ts";
import type { ServiceRow } from "./catalog.service.ts";
import type { flaggedReviews } from "./reviews.service.ts";
import type { StaffProblem } from "./problems.service.ts";
import type { staffJobQueue } from "./dispatch.service.ts";
import type { MarketplaceSettings } from "./marketplace.settings.ts";
import { MARKET_LIMITS } from "./marketplace.schema.ts";
import { marketNav, money } from "./marketplace.web.ts";
import { trail } from "./marketplace.views.ts";

type Application = ReturnType<typeof toApplication>;

export interface StaffData {
  community: Pick<Community, "slug" | "name">;
  queue: Application[];
  helpers: Application[];
  jobs: Awaited<ReturnType<typeof staffJobQueue>>;
  flagged: Awaited<ReturnType<typeof flaggedReviews>>;
  /** Open problem reports, oldest first; `problemForm`: a resolution refused, to show again by its report. */
  problems: StaffProblem[];
  problemForm?: { id: number; form: FormState };
  services: ServiceRow[];
  courses: { id: number; title: string }[];
  categories: Category[];
  settings: MarketplaceSettings;
  can: { services: boolean; settings: boolean; payouts: boolean };
  serviceForm: FormState;
  settingsForm: FormState;
  month: string;
}

function decisionForms(page: PageContext, slug: string, a: Application): Html {
  const { t } = page;
  const action = `/c/${slug}/service-friends/applications/${a.id}/decision`;
  const withReason = (decision: string, label: string) =>
    html`<form method="post" action="${action}">${page.csrfField()}<input type="hidden" name="decision"
      value="${decision}">${inputField({
        form: blankForm(),
        id: `${decision}-${a.id}`,
        name: "reason",
        label: t("market.reason"),
        maxlength: MARKET_LIMITS.reasonMax,
        required: true,
      })}<button
        class="button small" type="submit">${label}</button></form>`;
  // Vetting takes a second person: nobody decides on their own application.
  if (a.userId === page.actor?.id) return html`<p class="hint">${t("market.decision.own")}</p>`;
  if (a.status === "approved")
    return html`<details><summary>${t("market.decision.suspend")}</summary>${withReason(
      "suspend",
      t("market.decision.suspend"),
    )}</details>`;
  return html`<div class="action-row">${actionButton(page, {
    action,
    label: t("market.decision.approve"),
    className: "button primary small",
    fields: { decision: "approve" },
  })}
<details><summary>${t("market.decision.changes")}</summary>${withReason(
    "changes",
    t("market.decision.changes"),
  )}</details>
<details><summary>${t("market.decision.reject")}</summary>${withReason(
    "reject",
    t("market.decision.reject"),
  )}</details></div>`;
}

function applicationCard(page: PageContext, slug: string, a: Application): Html {
  return html`<li class="card helper-card" id="application-${a.id}">
<img class="avatar" src="${a.photoUrl}" alt="${page.t("market.photoOf", { name: a.realName })}" width="72" height="72">
<div><h3>${a.realName} <span class="byline">(${a.userName ?? ""})</span></h3>
<p class="facts">${badge(page.t(`market.status.${a.status}`), "info")} · ${a.postalCode} · ${a.phone} · ${timeAgo(
    page,
    a.updatedAt,
  )}</p>
<p>${a.bio}</p>${a.reason ? html`<p class="hint">${a.reason}</p>` : ""}
${decisionForms(page, slug, a)}</div></li>`;
}

/** Uphold or dismiss a report, with a note to both parties; a party to the booking leaves it to other staff. */
function resolveForm(page: PageContext, data: StaffData, p: StaffProblem): Html {
  const { t } = page;
  if (p.booking.customer.id === page.actor?.id || p.booking.helper.id === page.actor?.id)
    return html`<p class="hint">${t("market.problem.own")}</p>`;
  const form = data.problemForm?.id === p.id ? data.problemForm.form : blankForm();
  const prefix = `problem-${p.id}-`;
  const labels = { outcome: t("market.problem.outcome"), note: t("market.problem.note") };
  return html`${formAlert(page, form, labels, prefix)}<form
  method="post" action="/c/${data.community.slug}/service-friends/booking-problems/${p.id}/resolve"
  novalidate>${page.csrfField()}${radioGroup({
    form,
    id: `${prefix}outcome`,
    name: "outcome",
    label: labels.outcome,
    required: true,
    options: [
      { value: "upheld", label: t("market.problem.upheld") },
      { value: "dismissed", label: t("market.problem.dismissed") },
    ],
  })}${inputField({
    form,
    id: `${prefix}note`,
    name: "note",
    label: labels.note,
    maxlength: MARKET_LIMITS.reasonMax,
    required: true,
  })}<button class="button small" type="submit">${t("market.problem.resolve")}</button></form>`;
}

/** Open problem reports with their booking, who reported what, and the resolve form. */
function problemQueue(page: PageContext, data: StaffData): Html {
  const { t } = page;
  if (!data.problems.length) return html``;
  return html`<section aria-labelledby="problems-title"><h2 id="problems-title">${t("market.staff.problems")}</h2><ul
  class="plain-list" role="list">${data.problems.map(
    (p) => html`<li class="card" id="problem-${p.id}"><p><a href="${p.url}">${p.booking.service}</a> · ${
      p.booking.customer.name
    } · ${p.booking.helper.name} · ${badge(t(`market.problem.kind.${p.kind}`), "warning")}</p>
<p class="byline">${t("market.problem.by", { name: p.reporter.name })} · ${timeAgo(page, p.createdAt)}</p>
<p>${p.details}</p><p class="hint">${t("market.problem.customerNoShows", {
      count: p.booking.customer.noShows,
    })}</p>${resolveForm(page, data, p)}</li>`,
  )}</ul></section>`;
}

function catalog(page: PageContext, data: StaffData): Html {
  const { t } = page;
  const form = data.serviceForm;
  const labels = {
    name: t("market.serviceName"),
    maxPrice: t("market.maxPriceLabel", { currency: data.settings.currency }),
    requiredCourseId: t("market.requiredCourse"),
    categoryId: t("market.category"),
  };
  return html`<section aria-labelledby="catalog-title"><h2 id="catalog-title">${t("market.staff.catalog")}</h2>
<ul class="plain-list" role="list">${data.services.map(
    (s) => html`<li
  class="card"><strong>${s.name}</strong> · ${t("market.maxPrice", {
    price: money(page, s.maxPriceCents / 100, data.settings.currency),
  })}</li>`,
  )}</ul>
${
  data.can.services
    ? html`<div class="card">${formAlert(page, form, labels)}<form method="post"
      action="/c/${data.community.slug}/service-friends/services" novalidate class="grid-form">${page.csrfField()}
${inputField({ form, name: "name", label: labels.name, maxlength: 80, required: true })}
${inputField({ form, name: "maxPrice", label: labels.maxPrice, type: "number", required: true })}
${selectField({
  form,
  name: "requiredCourseId",
  label: labels.requiredCourseId,
  options: [
    { value: "", label: t("market.none.option") },
    ...data.courses.map((c) => ({ value: String(c.id), label: c.title })),
  ],
})}
${selectField({
  form,
  name: "categoryId",
  label: labels.categoryId,
  options: [
    { value: "", label: t("market.none.option") },
    ...data.categories.map((c) => ({ value: String(c.id), label: c.name })),
  ],
})}
${textareaField({
  form,
  name: "description",
  label: t("market.serviceDescription"),
  rows: 2,
  maxlength: MARKET_LIMITS.textMax,
})}
<div class="actions"><button class="button primary"
  type="submit">${t("market.staff.addService")}</button></div></form></div>`
    : ""
}</section>`;
}

function settingsSection(page: PageContext, data: StaffData): Html {
  const { t } = page;
  if (!data.can.settings) return html``;
  const s = data.settings;
  const values = {
    currency: s.currency,
    platformFeePercent: String(s.platformFeePercent),
    freeCancelHours: String(s.freeCancelHours),
    timezone: s.timezone,
    helperCourseId: s.helperCourseId ? String(s.helperCourseId) : "",
    codeOfConduct: s.codeOfConduct,
    ...data.settingsForm.values,
  };
  const form = { ...data.settingsForm, values };
  return card(
    { id: "settings-title", title: t("market.staff.settings") },
    html`
${formAlert(page, form)}<form method="post" action="/c/${data.community.slug}/service-friends/settings" novalidate
  class="grid-form">${page.csrfField()}
${inputField({ form, name: "currency", label: t("market.currency"), maxlength: 3 })}
${inputField({ form, name: "platformFeePercent", label: t("market.feePercent"), type: "number" })}
${inputField({ form, name: "freeCancelHours", label: t("market.freeCancelHours"), type: "number" })}
${inputField({ form, name: "timezone", label: t("market.timezone") })}
${selectField({
  form,
  name: "helperCourseId",
  label: t("market.helperCourse"),
  options: [
    { value: "", label: t("market.none.option") },
    ...data.courses.map((c) => ({ value: String(c.id), label: c.title })),
  ],
})}
${textareaField({ form, name: "codeOfConduct", label: t("market.conduct"), rows: 4 })}
<div class="actions"><button class="button primary"
  type="submit">${t("market.staff.saveSettings")}</button></div></form>`,
  );
}

function payouts(page: PageContext, data: StaffData): Html {
  const { t } = page;
  if (!data.can.payouts || !data.helpers.length) return html``;
  const form = blankForm({ month: data.month });
  return card(
    { id: "payout-title", title: t("market.staff.payouts") },
    html`
<form method="get" action="/api/v1/communities/${data.community.slug}/payouts" class="grid-form">
${selectField({
  form,
  name: "helper",
  label: t("market.helper"),
  options: data.helpers.map((h) => ({ value: String(h.userId), label: h.realName })),
})}
${inputField({ form, name: "month", label: t("market.month"), hint: t("market.monthHint"), maxlength: 7 })}
<div class="actions"><button class="button"
  type="submit">${t("market.staff.downloadCsv")}</button></div></form>`,
  );
}

/** The staff desk: the application queue, helpers, unassigned jobs, flagged reviews, catalog, settings, payouts. */
export function staffView(page: PageContext, data: StaffData): PageView {
  const { t } = page;
  const slug = data.community.slug;
  return {
    title: t("market.nav.staff"),
    content: html`${trail(page, data.community, t("market.nav.staff"), [
      { label: t("market.title"), href: `/c/${slug}/service-friends` },
    ])}
${marketNav(page, slug, `/c/${slug}/service-friends/staff`, true)}
<h1>${t("market.nav.staff")}</h1>
<section aria-labelledby="queue-title"><h2 id="queue-title">${t("market.staff.queue")}</h2>
${
  data.queue.length
    ? html`<ul class="plain-list"
  role="list">${data.queue.map((a) => applicationCard(page, slug, a))}</ul>`
    : emptyState(t("market.staff.queueEmpty"), { href: `/c/${slug}/service-friends`, label: t("market.nav.find") })
}</section>
${
  data.jobs.length
    ? html`<section aria-labelledby="jobs-title"><h2 id="jobs-title">${t("market.staff.jobs")}</h2><ul
  class="plain-list" role="list">${data.jobs.map(
    (j) => html`<li class="card"><a
    href="${j.url}">${j.service.name}</a> · ${j.postalCode} · ${j.phone} · ${j.address}<p>${j.description}</p></li>`,
  )}</ul></section>`
    : ""
}
${
  data.flagged.length
    ? html`<section aria-labelledby="flagged-title"><h2
  id="flagged-title">${t("market.staff.flagged")}</h2><ul class="plain-list"
    role="list">${data.flagged.map(
      (r) => html`<li class="card"><a
      href="/c/${slug}/helpers/${r.helperId}#review-${r.id}">${r.helperName}</a> · ${r.rating}★ · ${page.tn(
        "market.flags",
        r.flagCount,
      )}<p>${r.text}</p></li>`,
    )}</ul></section>`
    : ""
}
${problemQueue(page, data)}
<section aria-labelledby="helpers-title"><h2 id="helpers-title">${t("market.staff.helpers")}</h2>
${
  data.helpers.length
    ? html`<ul class="plain-list"
  role="list">${data.helpers.map((a) => applicationCard(page, slug, a))}</ul>`
    : html`<p
    class="empty">${t("market.staff.noHelpers")}</p>`
}</section>
${catalog(page, data)}
${payouts(page, data)}
${settingsSection(page, data)}`,
  };
}
