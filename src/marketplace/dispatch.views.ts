import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import { actionButton, badge, type CommunityRef } from "../web/components.ts";
import { dateTimeWithHint } from "../i18n/time-format.ts";
import type { jobView } from "./dispatch.service.ts";
import { marketNav, when } from "./marketplace.web.ts";
import { trail } from "./marketplace.views.ts";

type JobView = Awaited<ReturnType<typeof jobView>>["job"];

/** Where a job request stands: how many helpers were asked, and when to expect an answer or who takes over. */
function jobProgress(page: PageContext, job: JobView, timezone: string): Html {
  const { t } = page;
  const hint =
    job.status === "staff"
      ? t("market.job.staffHint")
      : job.status === "cancelled"
        ? t("market.job.cancelledHint")
        : job.answerBy
          ? t("market.job.answerBy", {
              time: dateTimeWithHint(
                { locale: page.locale, timeZone: timezone, now: page.now },
                Date.parse(job.answerBy),
              ),
            })
          : "";
  return html`<div class="card job-progress"><p>${page.tn("market.job.asked", job.helpersAsked)}</p>${
    hint ? html`<p>${hint}</p>` : ""
  }</div>`;
}

export function jobPageView(
  page: PageContext,
  data: { community: CommunityRef; job: JobView; timezone: string; staff: boolean },
): PageView {
  const { t } = page;
  const { job } = data;
  return {
    title: job.service.name,
    content: html`${trail(page, data.community, job.service.name, [
      { label: t("market.title"), href: `/c/${data.community.slug}/service-friends` },
    ])}
${marketNav(page, data.community.slug, "", data.staff)}
<h1>${job.service.name}</h1>
<p class="status-line">${badge(t(`market.job.${job.status}`), job.status === "taken" ? "success" : "info")} ${when(
      page,
      job.startsAt,
      job.endsAt,
      data.timezone,
    )} · ${job.postalCode} · ${t("market.job.currency", { currency: job.currency })}</p>
<p>${job.description}</p>
${jobProgress(page, job, data.timezone)}
${
  job.abilities.cancel
    ? actionButton(page, {
        action: `/c/${data.community.slug}/job-requests/${job.id}/cancel`,
        label: t("market.job.cancel"),
        className: "button",
      })
    : ""
}
${
  job.bookingId
    ? html`<p><a class="button"
  href="/c/${data.community.slug}/bookings/${job.bookingId}">${t("market.job.booking")}</a></p>`
    : ""
}`,
  };
}
