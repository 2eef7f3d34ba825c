import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import type { FormState } from "../web/forms.ts";
import { formAlert, inputField, radioGroup, selectField } from "../web/fields.ts";
import { actionButton, badge, type CommunityRef, card, emptyState } from "../web/components.ts";
import type { HelperStatus } from "../db/schema.ts";
import type { myBookings } from "./bookings.service.ts";
import type { myJobOffers } from "./dispatch.service.ts";
import type { myJobRequests } from "./job-requests.service.ts";
import type { ServiceRow, toPublicOffer } from "./catalog.service.ts";
import { marketNav, money, when, dayName } from "./marketplace.web.ts";
import { offerSummary, trail } from "./marketplace.views.ts";

export interface MineData {
  community: CommunityRef;
  timezone: string;
  currency: string;
  bookings: Awaited<ReturnType<typeof myBookings>>;
  jobOffers: Awaited<ReturnType<typeof myJobOffers>>;
  jobRequests: Awaited<ReturnType<typeof myJobRequests>>;
  offers: ReturnType<typeof toPublicOffer>[];
  services: ServiceRow[];
  helperStatus: HelperStatus | null;
  offerForm: FormState;
  staff: boolean;
}

function bookingList(page: PageContext, data: MineData): Html {
  const { t } = page;
  if (!data.bookings.length)
    return emptyState(t("market.mine.noBookings"), {
      href: `/c/${data.community.slug}/service-friends`,
      label: t("market.nav.find"),
    });
  return html`<ul class="plain-list" role="list">${data.bookings.map(
    (b) => html`<li class="card"><a href="/c/${data.community.slug}/bookings/${b.id}"><strong>${
      b.service
    }</strong></a> · ${t(b.role === "customer" ? "market.mine.with" : "market.mine.for", { name: b.with })}
<p class="status-line">${badge(
      t(`market.booking.${b.status}`),
      b.status === "accepted" || b.status === "completed" ? "success" : "neutral",
    )} ${when(page, b.startsAt, b.endsAt, data.timezone)}</p></li>`,
  )}</ul>`;
}

/** The member's "Find me a helper" requests, each leading to its page (shown once there is one). */
function jobRequestList(page: PageContext, data: MineData): Html {
  const { t } = page;
  if (!data.jobRequests.length) return html``;
  return html`<section aria-labelledby="requests-title"><h2 id="requests-title">${t("market.mine.requests")}</h2><ul
    class="plain-list" role="list">${data.jobRequests.map(
      (j) => html`<li class="card"><a href="${j.url}"><strong>${j.service}</strong></a>
<p class="status-line">${badge(t(`market.job.${j.status}`), j.status === "taken" ? "success" : "neutral")} ${when(
        page,
        j.startsAt,
        j.endsAt,
        data.timezone,
      )}</p></li>`,
    )}</ul></section>`;
}

function jobOfferList(page: PageContext, data: MineData): Html {
  const { t } = page;
  if (!data.jobOffers.length) return html``;
  return html`<section aria-labelledby="jobs-title"><h2 id="jobs-title">${t("market.mine.jobs")}</h2><ul
    class="plain-list" role="list">${data.jobOffers.map(
      (j) => html`<li class="card"><p><strong>${j.service}</strong> · ${j.postalCode} · ${when(
        page,
        j.startsAt,
        j.endsAt,
        data.timezone,
      )} · ${t("market.job.currency", { currency: j.currency })}</p><p>${j.description}</p>
${
  j.canAccept
    ? actionButton(page, {
        action: `/c/${j.community}/job-requests/${j.id}/accept`,
        label: t("market.job.accept"),
        className: "button primary small",
      })
    : j.acceptRefusal
      ? badge(t(`market.job.refusal.${j.acceptRefusal}`), "warning")
      : badge(
          j.takenByYou ? t("market.job.yours") : j.taken ? t("market.job.taken") : t("market.job.closed"),
          j.takenByYou ? "success" : "neutral",
        )
}</li>`,
    )}</ul></section>`;
}

function offerForm(page: PageContext, data: MineData): Html {
  const { t } = page;
  const form = data.offerForm;
  const labels = {
    serviceId: t("market.service"),
    price: t("market.price", { currency: data.currency }),
    priceUnit: t("market.priceUnit"),
    postalCodes: t("market.postalCodes"),
    place: t("market.place"),
    availability: t("market.availability"),
  };
  const values: Record<string, string> = { priceUnit: "fixed", from: "09:00", to: "18:00", ...form.values };
  // A refused place (schema or use case) is reported on "place", the id of its postal code field.
  const errors = form.errors.place ? { ...form.errors, placePostalCode: form.errors.place } : form.errors;
  const state = { ...form, values, errors };
  return card(
    { id: "offer-title", title: t("market.offer.new") },
    html`
${formAlert(page, form, labels)}
<form method="post" action="/c/${data.community.slug}/service-friends/offers" novalidate
  class="grid-form">${page.csrfField()}
${selectField({
  form: state,
  name: "serviceId",
  label: labels.serviceId,
  required: true,
  options: data.services.map((s) => ({
    value: String(s.id),
    label: `${s.name} (${t("market.maxPrice", { price: money(page, s.maxPriceCents / 100, data.currency) })})`,
  })),
})}
${inputField({ form: state, name: "price", label: labels.price, type: "number", required: true })}
${radioGroup({
  form: state,
  name: "priceUnit",
  label: labels.priceUnit,
  options: [
    { value: "fixed", label: t("market.unit.fixed") },
    { value: "hour", label: t("market.unit.hour") },
  ],
})}
${inputField({ form: state, name: "postalCodes", label: labels.postalCodes, hint: t("market.postalCodesHint") })}
${inputField({ form: state, id: "place", name: "placePostalCode", label: labels.place, maxlength: 5 })}
${inputField({ form: state, name: "radiusKm", label: t("market.radiusKm"), type: "number" })}
<fieldset class="checks" id="availability"><legend>${labels.availability}</legend>${[1, 2, 3, 4, 5, 6, 0].map(
      (d) =>
        html`<label><input type="checkbox" name="day${d}"
        value="1"${values[`day${d}`] ? html` checked` : ""}> ${dayName(page, d)}</label>`,
    )}</fieldset>
${inputField({ form: state, name: "from", label: t("market.from"), type: "time", required: true })}
${inputField({ form: state, name: "to", label: t("market.to"), type: "time", required: true })}
<div class="actions"><button type="submit" class="button primary">${t("market.offer.publish")}</button></div>
</form>`,
  );
}

/** The member's own marketplace: bookings as customer and helper, jobs offered to them, their offers. */
export function mineView(page: PageContext, data: MineData): PageView {
  const { t } = page;
  const slug = data.community.slug;
  return {
    title: t("market.nav.mine"),
    content: html`${trail(page, data.community, t("market.nav.mine"), [
      { label: t("market.title"), href: `/c/${slug}/service-friends` },
    ])}
${marketNav(page, slug, `/c/${slug}/service-friends/mine`, data.staff)}
<h1>${t("market.nav.mine")}</h1>
<section aria-labelledby="bookings-title"><h2
  id="bookings-title">${t("market.mine.bookings")}</h2>${bookingList(page, data)}</section>
${jobRequestList(page, data)}
${jobOfferList(page, data)}
${
  data.helperStatus === "approved"
    ? html`<section aria-labelledby="my-offers-title"><h2 id="my-offers-title">${t("market.offers")}</h2>
${
  data.offers.length
    ? html`<ul class="plain-list" role="list">${data.offers.map(
        (o) => html`<li
  class="card">${offerSummary(page, o)}${actionButton(page, {
    action: `/c/${slug}/offers/${o.id}/withdraw`,
    label: t("market.offer.withdraw"),
    className: "button subtle small",
  })}</li>`,
      )}</ul>`
    : html`<p
    class="empty">${t("market.noOffers")}</p>`
}
</section>${offerForm(page, data)}`
    : html`<p class="card"><a href="/c/${slug}/service-friends/apply">${t("market.mine.becomeHelper")}</a></p>`
}`,
  };
}
