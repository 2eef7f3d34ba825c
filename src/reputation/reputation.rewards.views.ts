import { randomUUID } from "node:crypto";
import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import type { FormState } from "../web/forms.ts";
import { actionButton, badge, communityCrumbs, timeAgo, type BadgeTone, card } from "../web/components.ts";
import { formAlert, inputField, textareaField } from "../web/fields.ts";
import type { RedemptionStatus } from "../db/schema.ts";
import type { listRewards, PublicRedemption } from "./reputation.rewards.ts";
import { kudosNav } from "./reputation.views.ts";

type Reward = Awaited<ReturnType<typeof listRewards>>[number];

export interface RewardsPageData {
  community: { slug: string; name: string };
  rewards: Reward[];
  /** The viewer's balance; null for visitors. */
  balance: number | null;
  /** The viewer may redeem rewards (a participant, not suspended). */
  redeem: boolean;
  mine: PublicRedemption[];
  /** Staff: every pending redemption, and the form for a new reward. */
  staff: { pending: PublicRedemption[]; form: FormState } | null;
  /** A redemption the server refused: its message. */
  redeemed: FormState;
}

const STATUS_TONE: Record<RedemptionStatus, BadgeTone> = { pending: "info", fulfilled: "success", rejected: "warning" };

function statusBadge(page: PageContext, status: RedemptionStatus): Html {
  return badge(page.t(`rep.redemption.${status}`), STATUS_TONE[status]);
}

function rewardCard(page: PageContext, data: RewardsPageData, r: Reward): Html {
  const { t } = page;
  const base = `/c/${data.community.slug}/rewards/${r.id}`;
  const short = data.balance !== null && data.balance < r.price;
  const soldOut = r.stock === 0;
  // A fresh key per rendering: a double click sends it twice and redeems once.
  const redeem =
    data.balance === null || !data.redeem || !r.active
      ? ""
      : soldOut
        ? html`<p class="hint">${t("rep.soldOut")}</p>`
        : short
          ? html`<p class="hint">${t("rep.needMore", { count: r.price - data.balance! })}</p>`
          : actionButton(page, {
              action: `${base}/redeem`,
              label: t("rep.redeem"),
              className: "button primary",
              fields: { idempotencyKey: randomUUID() },
            });
  const manage = data.staff
    ? actionButton(page, {
        action: `${base}/${r.active ? "deactivate" : "activate"}`,
        label: t(r.active ? "rep.deactivate" : "rep.activate"),
        className: "button subtle",
      })
    : "";
  return html`<li class="card reward${r.active ? "" : " inactive"}">
<h3>${r.name}${r.active ? "" : html` ${badge(t("rep.inactive"), "neutral")}`}</h3>
${r.description ? html`<p>${r.description}</p>` : ""}
<p class="price"><strong>${t("rep.price", { count: r.price })}</strong>${
    r.stock !== null ? html` · ${t("rep.stock", { count: r.stock })}` : ""
  }</p>
<div class="post-actions">${redeem}${manage}</div>
</li>`;
}

function redemptionRows(page: PageContext, list: PublicRedemption[], decide: string | null): Html {
  const { t } = page;
  return html`<div class="table-wrap"><table><thead><tr><th scope="col">${t("rep.reward")}</th><th
    scope="col">${t("rep.member")}</th><th scope="col">${t("rep.amount")}</th><th
      scope="col">${t("rep.status")}</th><th scope="col">${t("rep.when")}</th>${
        decide
          ? html`<th
        scope="col">${t("rep.decide")}</th>`
          : ""
      }</tr></thead>
<tbody>${list.map(
    (r) =>
      html`<tr><th scope="row">${r.reward.name}</th><td>${r.member.name}</td><td>${r.price}</td><td>${statusBadge(
        page,
        r.status,
      )}${
        r.note
          ? html` <span
          class="hint">${r.note}</span>`
          : ""
      }</td><td>${timeAgo(page, r.createdAt)}</td>${
        decide
          ? html`<td><form method="post" action="${decide}/${r.id}/decide" class="role-form">${page.csrfField()}<label
            class="sr-only" for="note-${r.id}">${t("rep.note")}</label><input type="text" id="note-${r.id}" name="note"
              maxlength="500" placeholder="${t("rep.note")}"><button type="submit" name="decision" value="fulfil"
                class="button small success">${t("rep.fulfil")}</button><button type="submit" name="decision"
                  value="reject" class="button small">${t("rep.reject")}</button></form></td>`
          : ""
      }</tr>`,
  )}</tbody></table></div>`;
}

function newRewardForm(page: PageContext, slug: string, form: FormState): Html {
  const { t } = page;
  const labels = {
    name: t("rep.rewardName"),
    description: t("rep.rewardDescription"),
    price: t("rep.rewardPrice"),
    stock: t("rep.rewardStock"),
    valueCents: t("rep.rewardValue"),
  };
  return card(
    { id: "new-reward", title: t("rep.newReward") },
    html`
${formAlert(page, form, labels)}
<form method="post" action="/c/${slug}/rewards" novalidate class="grid-form">${page.csrfField()}
${inputField({ form, name: "name", label: labels.name, maxlength: 80, required: true })}
${inputField({ form, name: "price", label: labels.price, type: "number", required: true })}
${inputField({ form, name: "stock", label: labels.stock, type: "number", hint: t("rep.rewardStockHint") })}
${inputField({ form, name: "valueCents", label: labels.valueCents, type: "number", hint: t("rep.rewardValueHint") })}
${textareaField({ form, name: "description", label: labels.description, rows: 2, maxlength: 500 })}
<div class="actions"><button type="submit" class="button primary">${t("rep.createReward")}</button></div>
</form>`,
  );
}

/** Rewards to redeem with kudos, the viewer's redemptions and, for staff, fulfilment and new rewards. */
export function rewardsView(page: PageContext, data: RewardsPageData): PageView {
  const { t } = page;
  const slug = data.community.slug;
  return {
    title: t("rep.rewards"),
    content: html`${communityCrumbs(page, data.community, { label: t("rep.rewards") })}
<h1>${t("rep.rewards")}</h1>
${kudosNav(page, slug, "rewards")}
${data.balance !== null ? html`<p class="lead">${t("rep.yourBalance", { count: data.balance })}</p>` : ""}
${formAlert(page, data.redeemed)}
${
  data.rewards.length
    ? html`<section aria-labelledby="rewards-title"><h2 id="rewards-title" class="sr-only">${t("rep.rewards")}</h2><ul
  class="reward-list" role="list">${data.rewards.map((r) => rewardCard(page, data, r))}</ul></section>`
    : html`<p
    class="empty">${t("rep.noRewards")}</p>`
}
${
  data.mine.length
    ? html`<section aria-labelledby="mine-title"><h2
  id="mine-title">${t("rep.myRedemptions")}</h2>${redemptionRows(page, data.mine, null)}</section>`
    : ""
}
${
  data.staff
    ? html`<section aria-labelledby="pending-title"><h2 id="pending-title">${t("rep.pendingRedemptions")}</h2>
${
  data.staff.pending.length
    ? redemptionRows(page, data.staff.pending, `/c/${slug}/redemptions`)
    : html`<p
  class="empty">${t("rep.noPending")}</p>`
}</section>
${newRewardForm(page, slug, data.staff.form)}`
    : ""
}`,
  };
}
