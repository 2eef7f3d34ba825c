import { avatar } from "../web/avatar.ts";
import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { blankForm, type FormState } from "../web/forms.ts";
import { formAlert, inputField, selectField, textareaField } from "../web/fields.ts";
import { badge, communityCrumbs, type Crumb, type CommunityRef, emptyState, rankLabel } from "../web/components.ts";
import type { helperProfile, searchOffers } from "./finder.service.ts";
import type { toApplication } from "./applications.service.ts";
import type { ServiceRow } from "./catalog.service.ts";
import type { SearchOffersInput } from "./marketplace.schema.ts";
import { MARKET_LIMITS, SORTS } from "./marketplace.schema.ts";
import { dayName, marketNav, priceText, ratingText } from "./marketplace.web.ts";

type SearchResult = Awaited<ReturnType<typeof searchOffers>>["offers"][number];
type Profile = Awaited<ReturnType<typeof helperProfile>>;

/** A marketplace page's breadcrumbs: the community, the pages above this one, this one. */
export function trail(page: PageContext, community: CommunityRef, label: string, middle: Crumb[] = []): Html {
  return communityCrumbs(page, community, ...middle, { label });
}

function helperFacts(page: PageContext, helper: SearchResult["helper"]): Html {
  return html`<ul class="facts">
<li>${ratingText(page, helper.rating)}</li>
<li>${page.t("market.completed", { count: helper.completedJobs })}</li>
${helper.rank ? html`<li>${badge(rankLabel(page, { name: helper.rank }), "info")}</li>` : ""}
${helper.certifications.map((c) => html`<li>${badge(`✓ ${c}`, "success")}</li>`)}
</ul>`;
}

function resultCard(page: PageContext, slug: string, offer: SearchResult): Html {
  return html`<li class="card helper-card">
${avatar({ name: offer.helper.name, avatarUrl: offer.helper.photoUrl }, "l")}
<div>
<h3><a href="${offer.helper.url}">${offer.helper.name}</a></h3>
<p class="facts"><span>${offer.service}</span> <span
  class="price">${priceText(page, offer)}</span>${
    offer.distanceKm !== null ? html` <span>${page.t("market.distance", { km: offer.distanceKm })}</span>` : ""
  }</p>
${helperFacts(page, offer.helper)}
<a class="button small primary" href="/c/${slug}/offers/${offer.id}/book">${page.t("market.book")}</a>
</div>
</li>`;
}

export function searchView(
  page: PageContext,
  data: {
    community: CommunityRef;
    services: ServiceRow[];
    input: SearchOffersInput;
    offers: SearchResult[];
    staff: boolean;
  },
): PageView {
  const { t } = page;
  const base = `/c/${data.community.slug}`;
  const form: FormState = blankForm({
    service: data.input.service ? String(data.input.service) : "",
    postalCode: data.input.postalCode ?? data.input.place ?? "",
    sort: data.input.sort,
  });
  return {
    title: t("market.title"),
    content: html`${trail(page, data.community, t("market.title"))}
${marketNav(page, data.community.slug, `${base}/service-friends`, data.staff)}
<h1>${t("market.title")}</h1>
<p class="lead">${t("market.lead")}</p>
<form method="get" action="${base}/service-friends" class="filters" role="search">
${selectField({
  form,
  name: "service",
  label: t("market.service"),
  options: [
    { value: "", label: t("market.anyService") },
    ...data.services.map((s) => ({ value: String(s.id), label: s.name })),
  ],
})}
${inputField({ form, name: "postalCode", label: t("market.where"), maxlength: 60, autocomplete: "postal-code" })}
${selectField({
  form,
  name: "sort",
  label: t("market.sort"),
  options: SORTS.map((s) => ({ value: s, label: t(`market.sort.${s}`) })),
})}
<div class="filter-actions"><button type="submit" class="button primary">${t("market.search")}</button></div>
</form>
${
  data.offers.length
    ? html`<h2 class="sr-only">${t("market.results")}</h2><ul class="helper-list"
      role="list">${data.offers.map((o) => resultCard(page, data.community.slug, o))}</ul>`
    : emptyState(t("market.none"), { href: `${base}/service-friends/request`, label: t("market.nav.request") })
}`,
  };
}

export function availabilityList(page: PageContext, slots: { day: number; start: string; end: string }[]): Html {
  return html`<ul class="facts">${slots.map((s) => html`<li>${dayName(page, s.day)} ${s.start}–${s.end}</li>`)}</ul>`;
}

export function offerSummary(page: PageContext, offer: Profile["offers"][number]): Html {
  const area = [
    ...offer.postalCodes,
    ...(offer.place
      ? [page.t("market.radius", { postalCode: offer.place.postalCode, km: offer.place.radiusKm ?? 0 })]
      : []),
  ].join(", ");
  return html`<p><strong>${offer.service}</strong> · <span class="price">${priceText(page, offer)}</span></p>
<p class="facts">${page.t("market.area")}: ${area}</p>
${availabilityList(page, offer.availability)}`;
}

function reviewItem(page: PageContext, slug: string, review: Profile["reviews"][number]): Html {
  const { t } = page;
  return html`<li class="card" id="review-${review.id}">
<p>${ratingText(page, { average: review.rating, count: 1 })} · ${review.customer}</p>
<p>${review.text}</p>
${review.response ? html`<blockquote><strong>${t("market.response")}</strong> ${review.response}</blockquote>` : ""}
${
  review.abilities.respond
    ? html`<form method="post" action="/c/${slug}/reviews/${review.id}/response">${page.csrfField()}
${textareaField({
  form: blankForm(),
  id: `response-${review.id}`,
  name: "body",
  label: t("market.respond"),
  rows: 2,
  maxlength: MARKET_LIMITS.messageMax,
  required: true,
})}
<button class="button small" type="submit">${t("market.respondSubmit")}</button></form>`
    : ""
}
${
  review.abilities.flag
    ? html`<details><summary>${t("market.flag")}</summary>
<form method="post" action="/c/${slug}/reviews/${review.id}/flag">${page.csrfField()}
${inputField({
  form: blankForm(),
  id: `flag-${review.id}`,
  name: "reason",
  label: t("market.flagReason"),
  maxlength: MARKET_LIMITS.reasonMax,
  required: true,
})}
<button class="button small" type="submit">${t("market.flagSubmit")}</button></form></details>`
    : ""
}
</li>`;
}

export function profileView(
  page: PageContext,
  data: { community: CommunityRef; profile: Profile; staff: boolean },
): PageView {
  const { t } = page;
  const { helper, offers, reviews } = data.profile;
  const slug = data.community.slug;
  return {
    title: helper.name,
    content: html`${trail(page, data.community, helper.name, [
      { label: t("market.title"), href: `/c/${slug}/service-friends` },
    ])}
${marketNav(page, slug, "", data.staff)}
<div class="profile-head">
${avatar({ name: helper.name, avatarUrl: helper.photoUrl }, "xl")}
<div><h1>${helper.name}</h1>${helper.suspended ? badge(t("market.status.suspended"), "warning") : ""}${helperFacts(
      page,
      helper,
    )}</div>
</div>
${helper.noShows === null ? "" : html`<p class="hint">${t("market.noShows", { count: helper.noShows })}</p>`}
${helper.takesBookings ? "" : html`<p class="hint">${t("market.error.notSelling")}</p>`}
<p>${helper.bio}</p>
<section aria-labelledby="offers-title"><h2 id="offers-title">${t("market.offers")}</h2>
${
  offers.length
    ? html`<ul class="plain-list" role="list">${offers.map(
        (o) =>
          html`<li class="card">${offerSummary(page, o)}${
            data.profile.abilities.book
              ? html`<a class="button primary small" href="/c/${slug}/offers/${o.id}/book">${t("market.book")}</a>`
              : ""
          }</li>`,
      )}</ul>`
    : html`<p class="empty">${t("market.noOffers")}</p>`
}
</section>
<section aria-labelledby="reviews-title"><h2 id="reviews-title">${t("market.reviews")}</h2>
${
  reviews.length
    ? html`<ul class="plain-list" role="list">${reviews.map((r) => reviewItem(page, slug, r))}</ul>`
    : html`<p class="empty">${t("market.noReviews")}</p>`
}
</section>`,
  };
}

export function applyView(
  page: PageContext,
  data: {
    community: CommunityRef;
    application: ReturnType<typeof toApplication> | null;
    conduct: string;
    course: { url: string; title: string; passed: boolean } | null;
    form: FormState;
    staff: boolean;
  },
): PageView {
  const { t } = page;
  const slug = data.community.slug;
  const status = data.application?.status;
  const canApply = !status || status === "rejected" || status === "changes_requested";
  const form = data.form;
  const labels = {
    realName: t("market.realName"),
    postalCode: t("market.postalCode"),
    phone: t("market.phone"),
    bio: t("market.bio"),
    photo: t("market.photo"),
    acceptConduct: t("market.acceptConduct"),
  };
  return {
    title: t("market.apply.title"),
    content: html`${trail(page, data.community, t("market.apply.title"), [
      { label: t("market.title"), href: `/c/${slug}/service-friends` },
    ])}
${marketNav(page, slug, `/c/${slug}/service-friends/apply`, data.staff)}
<h1>${t("market.apply.title")}</h1>
${
  status
    ? html`<p class="card status-line">${t("market.apply.status")} ${badge(
        t(`market.status.${status}`),
        status === "approved" ? "success" : "warning",
      )}${data.application?.reason ? html` <span>${data.application.reason}</span>` : ""}</p>`
    : html`<p class="lead">${t("market.apply.lead")}</p>`
}
${
  data.course
    ? html`<p class="card">${
        data.course.passed
          ? badge(`✓ ${data.course.title}`, "success")
          : html`${t("market.apply.course")} <a href="${data.course.url}">${data.course.title}</a>`
      }</p>`
    : ""
}
${
  canApply && (!data.course || data.course.passed)
    ? html`${formAlert(page, form, labels)}
<form method="post" action="/c/${slug}/service-friends/apply" enctype="multipart/form-data" novalidate
  class="card grid-form">${page.csrfField()}
${inputField({
  form,
  name: "realName",
  label: labels.realName,
  autocomplete: "name",
  maxlength: MARKET_LIMITS.nameMax,
  required: true,
})}
${inputField({
  form,
  name: "postalCode",
  label: labels.postalCode,
  autocomplete: "postal-code",
  maxlength: 5,
  required: true,
})}
${inputField({
  form,
  name: "phone",
  label: labels.phone,
  type: "tel",
  autocomplete: "tel",
  maxlength: 24,
  required: true,
})}
<div class="field${form.errors.photo ? " has-error" : ""}"><label for="photo">${labels.photo}</label><p class="hint"
  id="photo-hint">${t("market.photoHint")}</p><input type="file" id="photo" name="photo"
    accept="image/jpeg,image/png,image/webp" required
      aria-describedby="photo-hint${form.errors.photo ? " photo-error" : ""}"${
        form.errors.photo ? html` aria-invalid="true"` : ""
      }>${
        form.errors.photo
          ? html`<p class="field-error"
          id="photo-error">${form.errors.photo}</p>`
          : ""
      }</div>
${textareaField({ form, name: "bio", label: labels.bio, rows: 4, maxlength: MARKET_LIMITS.bioMax, required: true })}
${data.conduct ? html`<div class="prose card">${data.conduct}</div>` : ""}
<div class="field${form.errors.acceptConduct ? " has-error" : ""}"><label class="radio"><input type="checkbox"
  id="acceptConduct" name="acceptConduct" value="1"
    required> ${labels.acceptConduct}</label>${
      form.errors.acceptConduct
        ? html`<p
      class="field-error">${form.errors.acceptConduct}</p>`
        : ""
    }</div>
<div class="actions"><button type="submit" class="button primary">${t("market.apply.submit")}</button></div>
</form>`
    : ""
}`,
  };
}
