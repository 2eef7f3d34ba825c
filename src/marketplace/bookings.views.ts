import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { blankForm, type FormState } from "../web/forms.ts";
import { formAlert, inputField, radioGroup, selectField, textareaField } from "../web/fields.ts";
import { actionButton, badge, timeAgo, type CommunityRef, card } from "../web/components.ts";
import type { getBooking } from "./bookings.service.ts";
import type { ServiceRow } from "./catalog.service.ts";
import { ACCOUNT_DELETED_REASON, PROBLEM_UPHELD_REASON } from "./marketplace.policy.ts";
import { MARKET_LIMITS, PROBLEM_KINDS, type Slot } from "./marketplace.schema.ts";
import { marketNav, money, priceText, when } from "./marketplace.web.ts";
import { availabilityList, trail } from "./marketplace.views.ts";
import { slotPicker, type FreeSlot } from "./slots.views.ts";

type BookingData = Awaited<ReturnType<typeof getBooking>>;
type Booking = BookingData["booking"];

/** Date, start and end of a visit, typed in the community's time zone, which the form names. */
function timeFields(page: PageContext, form: FormState, timezone: string, required: boolean): Html {
  const { t } = page;
  return html`<input type="hidden" name="timezone" value="${timezone}">
${inputField({ form, name: "date", label: t("market.date"), type: "date", required })}
${inputField({ form, name: "from", label: t("market.from"), type: "time", required })}
${inputField({ form, name: "to", label: t("market.to"), type: "time", required })}`;
}

/** What the helper needs to know about a visit; shared by the booking and the dispatch form. */
function visitFields(page: PageContext, form: FormState): Html {
  const { t } = page;
  return html`${textareaField({
    form,
    name: "description",
    label: t("market.problem"),
    rows: 4,
    maxlength: MARKET_LIMITS.textMax,
    required: true,
  })}
${inputField({
  form,
  name: "address",
  label: t("market.address"),
  autocomplete: "street-address",
  maxlength: 300,
  required: true,
  hint: t("market.addressHint"),
})}
${inputField({
  form,
  name: "phone",
  label: t("market.phone"),
  type: "tel",
  autocomplete: "tel",
  maxlength: 24,
  required: true,
})}`;
}

const visitLabels = (page: PageContext) => ({
  slot: page.t("market.slots.legend"),
  date: page.t("market.date"),
  to: page.t("market.to"),
  description: page.t("market.problem"),
  address: page.t("market.address"),
  phone: page.t("market.phone"),
});

/**
 * A time typed by hand instead of a slot (a longer visit), within the helper's hours; folded away
 * unless the member used it.
 */
function otherTime(page: PageContext, form: FormState, timezone: string): Html {
  const used = Boolean(form.values.date || form.errors.date || form.errors.to);
  return html`<details class="other-time"${used ? html` open` : ""}><summary>${page.t("market.slots.other")}</summary>
${timeFields(page, form, timezone, false)}</details>`;
}

export function bookFormView(
  page: PageContext,
  data: {
    community: CommunityRef;
    offer: {
      id: number;
      service: string;
      price: number;
      priceUnit: string;
      currency: string;
      helperName: string;
      availability: Slot[];
    };
    slots: FreeSlot[];
    timezone: string;
    form: FormState;
    staff: boolean;
  },
): PageView {
  const { t } = page;
  const title = t("market.book.title", { name: data.offer.helperName });
  return {
    title,
    content: html`${trail(page, data.community, title, [
      { label: t("market.title"), href: `/c/${data.community.slug}/service-friends` },
    ])}
${marketNav(page, data.community.slug, "", data.staff)}
<h1>${title}</h1>
<p><strong>${data.offer.service}</strong> · <span class="price">${priceText(page, data.offer)}</span></p>
<p>${t("market.book.slots")}</p>${availabilityList(page, data.offer.availability)}
${formAlert(page, data.form, visitLabels(page))}
<form method="post" action="/c/${data.community.slug}/offers/${data.offer.id}/book" novalidate
  class="card grid-form">${page.csrfField()}
${slotPicker(page, { ...data, helperName: data.offer.helperName })}
${otherTime(page, data.form, data.timezone)}
${visitFields(page, data.form)}
<div class="actions"><button type="submit" class="button primary">${t("market.book.submit")}</button></div>
</form>`,
  };
}

export function requestFormView(
  page: PageContext,
  data: { community: CommunityRef; services: ServiceRow[]; timezone: string; form: FormState; staff: boolean },
): PageView {
  const { t } = page;
  const slug = data.community.slug;
  return {
    title: t("market.nav.request"),
    content: html`${trail(page, data.community, t("market.nav.request"), [
      { label: t("market.title"), href: `/c/${slug}/service-friends` },
    ])}
${marketNav(page, slug, `/c/${slug}/service-friends/request`, data.staff)}
<h1>${t("market.nav.request")}</h1>
<p class="lead">${t("market.request.lead")}</p>
${formAlert(page, data.form, {
  serviceId: t("market.service"),
  postalCode: t("market.postalCode"),
  ...visitLabels(page),
})}
<form method="post" action="/c/${slug}/service-friends/request" novalidate class="card grid-form">${page.csrfField()}
${selectField({
  form: data.form,
  name: "serviceId",
  label: t("market.service"),
  required: true,
  options: data.services.map((s) => ({ value: String(s.id), label: s.name })),
})}
${inputField({
  form: data.form,
  name: "postalCode",
  label: t("market.postalCode"),
  autocomplete: "postal-code",
  maxlength: 5,
  required: true,
})}
${timeFields(page, data.form, data.timezone, true)}
${visitFields(page, data.form)}
<div class="actions"><button type="submit" class="button primary">${t("market.request.submit")}</button></div>
</form>`,
  };
}

function details(page: PageContext, b: Booking, timezone: string): Html {
  const { t } = page;
  return html`<dl class="details card">
<dt>${t("market.when")}</dt><dd>${when(page, b.startsAt, b.endsAt, timezone)}</dd>
<dt>${t("market.helper")}</dt><dd><a href="${b.helper.url}">${b.helper.name}</a></dd>
<dt>${t("market.customer")}</dt><dd>${b.customer.name}</dd>
<dt>${t("market.priceLabel")}</dt><dd>${priceText(page, b)}</dd>
<dt>${t("market.problem")}</dt><dd>${b.description}</dd>
<dt>${t("market.address")}</dt><dd>${b.address ?? t("market.afterAcceptance")}</dd>
<dt>${t("market.phone")}</dt><dd>${b.phone ?? t("market.afterAcceptance")}</dd>
${
  b.reason
    ? html`<dt>${t("market.reason")}</dt><dd>${
        b.reason === ACCOUNT_DELETED_REASON
          ? t("market.reason.accountDeleted")
          : b.reason === PROBLEM_UPHELD_REASON
            ? t("market.reason.problemUpheld")
            : b.reason
      }${b.lateCancellation ? html` ${badge(t("market.lateCancellation"), "warning")}` : ""}</dd>`
    : ""
}
${
  b.payment
    ? html`<dt>${t("market.payment")}</dt><dd>${money(page, b.payment.amount, b.currency)} · ${t(
        `market.method.${b.payment.method as "cash" | "invoice"}`,
      )}${
        b.payment.reference ? ` · ${b.payment.reference}` : ""
      } · ${t("market.fee", { fee: money(page, b.payment.fee, b.currency), percent: b.payment.feePercent })} · ${
        b.payment.voidedAt
          ? badge(t("market.paymentVoided"), "warning")
          : b.payment.confirmedAt
            ? badge(t("market.confirmed"), "success")
            : badge(t("market.unconfirmed"), "warning")
      }</dd>`
    : ""
}
</dl>`;
}

/** A reason to give with an action (decline, cancel); its field ids are prefixed so two such forms fit one page. */
function reasonForm(
  page: PageContext,
  form: FormState,
  {
    action,
    prefix,
    label,
    submit,
    required,
  }: { action: string; prefix: string; label: string; submit: string; required: boolean },
): Html {
  return html`${formAlert(page, form, { reason: label }, prefix)}<form method="post"
    action="${action}" novalidate>${page.csrfField()}${inputField({
      form,
      id: `${prefix}reason`,
      name: "reason",
      label,
      maxlength: MARKET_LIMITS.reasonMax,
      required,
    })}<button class="button small" type="submit">${submit}</button></form>`;
}

function actions(page: PageContext, b: Booking, forms: BookingForms): Html {
  const { t } = page;
  const base = `/c/${b.community}/bookings/${b.id}`;
  const a = b.abilities;
  const cancel = forms.cancel ?? blankForm();
  const complete = forms.complete ?? blankForm({ method: "cash" });
  return html`<div class="action-row">
${
  a.accept
    ? actionButton(page, {
        action: `${base}/accept`,
        label: t(b.awaiting === "customer" ? "market.acceptTime" : "market.accept"),
        className: "button primary",
      })
    : ""
}
${
  a.decline
    ? reasonForm(page, forms.decline ?? blankForm(), {
        action: `${base}/decline`,
        prefix: "decline-",
        label: t("market.declineReason"),
        submit: t("market.decline"),
        required: false,
      })
    : ""
}
${
  a.cancel
    ? html`<details${Object.keys(cancel.errors).length ? html` open` : ""}><summary>${t("market.cancel")}</summary><p
  class="hint">${t("market.freeUntil")} ${timeAgo(page, b.freeCancellationUntil)}</p>${reasonForm(page, cancel, {
    action: `${base}/cancel`,
    prefix: "cancel-",
    label: t("market.cancelReason"),
    submit: t("market.cancel"),
    required: true,
  })}</details>`
    : // Posted from a page shown before the appointment began: why nothing was cancelled.
      formAlert(page, cancel)
}
${
  a.complete
    ? html`${formAlert(page, complete, { method: t("market.paidBy"), hours: t("market.hours") })}<form method="post"
  action="${base}/complete" class="card" novalidate>${page.csrfField()}${radioGroup({
    form: complete,
    name: "method",
    label: t("market.paidBy"),
    options: [
      { value: "cash", label: t("market.method.cash") },
      { value: "invoice", label: t("market.method.invoice") },
    ],
  })}${
    b.priceUnit === "hour"
      ? inputField({ form: complete, name: "hours", label: t("market.hours"), type: "number" })
      : ""
  }<button class="button primary" type="submit">${t("market.complete")}</button></form>`
    : ""
}
${
  a.confirmPayment
    ? actionButton(page, { action: `${base}/confirm`, label: t("market.confirmPayment"), className: "button primary" })
    : ""
}
</div>`;
}

function thread(page: PageContext, b: Booking, messages: BookingData["messages"], form: FormState): Html {
  const { t } = page;
  return html`<section aria-labelledby="messages-title"><h2 id="messages-title">${t("market.messages")}</h2>
${
  messages.length
    ? html`<ol class="thread">${messages.map(
        (m) => html`<li
  class="${m.author.id === page.actor?.id ? "mine" : ""}"><p class="byline"><span
    class="author">${m.author.name}</span> · ${timeAgo(page, m.createdAt)}</p><p>${m.body}</p></li>`,
      )}</ol>`
    : html`<p
      class="empty">${t("market.noMessages")}</p>`
}
${
  b.abilities.message
    ? html`${formAlert(page, form, { body: t("market.message") })}<form method="post"
  action="/c/${b.community}/bookings/${b.id}/message"
    novalidate>${page.csrfField()}${textareaField({
      form,
      name: "body",
      label: t("market.message"),
      rows: 3,
      maxlength: MARKET_LIMITS.messageMax,
      required: true,
    })}<button class="button" type="submit">${t("market.send")}</button></form>`
    : ""
}
</section>`;
}

function reviewSection(page: PageContext, b: Booking, form: FormState): Html {
  const { t } = page;
  if (b.review)
    return html`<section class="card"><h2>${t("market.yourReview")}</h2><p>${"★".repeat(b.review.rating)} ${
      b.review.text
    }</p>${b.review.response ? html`<blockquote>${b.review.response}</blockquote>` : ""}</section>`;
  if (!b.abilities.review) return html``;
  const values = { rating: "5", ...form.values };
  return card(
    { id: "review-title", title: t("market.review") },
    html`
${formAlert(page, form, { rating: t("market.stars"), text: t("market.reviewText") })}
<form method="post" action="/c/${b.community}/bookings/${b.id}/review" novalidate>${page.csrfField()}
${radioGroup({
  form: { ...form, values },
  name: "rating",
  label: t("market.stars"),
  options: [5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: `${"★".repeat(n)} ${n}` })),
})}
${textareaField({
  form,
  name: "text",
  label: t("market.reviewText"),
  rows: 3,
  maxlength: MARKET_LIMITS.textMax,
  required: true,
})}
<button class="button primary" type="submit">${t("market.reviewSubmit")}</button></form>`,
  );
}

/** A report's state: open, or its outcome. */
export function problemState(page: PageContext, p: Booking["problems"][number]): Html {
  if (p.outcome === null) return badge(page.t("market.problem.open"), "info");
  return badge(page.t(`market.problem.${p.outcome}`), p.outcome === "upheld" ? "success" : "neutral");
}

/**
 * The reports made with the booking and their outcome (parties and staff), and the form to report
 * one while abilities.report allows; a report refused meanwhile says why above.
 */
function problemSection(page: PageContext, b: Booking, form: FormState, staff: boolean): Html {
  const { t } = page;
  const kinds = PROBLEM_KINDS.filter((k) => k !== "no_show" || b.status !== "completed");
  const labels = { kind: t("market.problem.kind"), details: t("market.problem.details") };
  const open = Object.keys(form.errors).length > 0;
  if (!b.problems.length && !b.abilities.report) return formAlert(page, form);
  return html`<section aria-labelledby="problems-title"><h2 id="problems-title">${t("market.problem.title")}</h2>
${b.problems.map(
  (p) => html`<article class="card" id="problem-${p.id}"><p class="status-line">${badge(
    t(`market.problem.kind.${p.kind}`),
    "warning",
  )} ${problemState(page, p)}</p>
<p class="byline">${t("market.problem.by", { name: p.reporter.name })} · ${timeAgo(page, p.createdAt)}</p>
<p>${p.details}</p>${p.note ? html`<p><strong>${t("market.problem.note")}:</strong> ${p.note}</p>` : ""}${
    staff && p.status === "open"
      ? html`<p><a
  href="/c/${b.community}/service-friends/staff#problem-${p.id}">${t("market.problem.resolve")}</a></p>`
      : ""
  }</article>`,
)}
${
  b.abilities.report
    ? html`<details${open ? html` open` : ""}><summary>${t("market.problem.report")}</summary>${formAlert(
        page,
        form,
        labels,
      )}<form method="post" action="/c/${b.community}/bookings/${b.id}/problem" novalidate>${page.csrfField()}
${selectField({
  form,
  name: "kind",
  label: labels.kind,
  required: true,
  options: kinds.map((k) => ({ value: k, label: t(`market.problem.kind.${k}`) })),
})}
${textareaField({
  form,
  name: "details",
  label: labels.details,
  rows: 4,
  maxlength: MARKET_LIMITS.textMax,
  required: true,
})}
<button class="button" type="submit">${t("market.problem.submit")}</button></form></details>`
    : formAlert(page, form)
}</section>`;
}

/** The booking page's forms as last submitted, to show again with their errors. */
export interface BookingForms {
  decline?: FormState;
  cancel?: FormState;
  complete?: FormState;
  message?: FormState;
  review?: FormState;
  problem?: FormState;
}

export function bookingView(
  page: PageContext,
  data: BookingData & { timezone: string; staff: boolean },
  forms: BookingForms = {},
): PageView {
  const { t } = page;
  const b = data.booking;
  const title = `${b.service.name} · ${b.helper.name}`;
  return {
    title,
    content: html`${trail(page, data.access.community, title, [
      { label: t("market.nav.mine"), href: `/c/${b.community}/service-friends/mine` },
    ])}
${marketNav(page, b.community, "", data.staff)}
<h1>${b.service.name}</h1>
<p class="status-line">${badge(
      t(`market.booking.${b.status}`),
      b.status === "accepted" || b.status === "completed" ? "success" : b.status === "no_show" ? "warning" : "info",
    )}${
      b.status === "requested"
        ? html` <span>${t(b.awaiting === "helper" ? "market.awaitingHelper" : "market.awaitingCustomer")}</span>`
        : ""
    }</p>
<div class="columns"><div class="stack">${details(page, b, data.timezone)}${actions(page, b, forms)}${reviewSection(
      page,
      b,
      forms.review ?? blankForm(),
    )}${problemSection(page, b, forms.problem ?? blankForm(), data.staff)}</div>
${thread(page, b, data.messages, forms.message ?? blankForm())}</div>`,
  };
}
