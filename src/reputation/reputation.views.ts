import { avatar } from "../web/avatar.ts";
import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import {
  authorMarks,
  authorName,
  badge,
  communityCrumbs,
  rankLabel,
  timeAgo,
  dayOf,
  type CommunityRef,
  linkNav,
  emptyState,
} from "../web/components.ts";
import type { MessageKey } from "../i18n/i18n.ts";
import type { LeaderRow, Profile } from "./reputation.profile.ts";
import { PERIODS, type Period } from "./reputation.schema.ts";

/** The leaderboard and the rewards kudos buy: two pages of the Leaderboard section. */
export function kudosNav(page: PageContext, slug: string, current: "leaderboard" | "rewards"): Html {
  return linkNav({
    label: page.t("rep.communityNav"),
    className: "tabs",
    links: [
      { href: `/c/${slug}/leaderboard`, label: page.t("rep.leaderboard"), current: current === "leaderboard" },
      { href: `/c/${slug}/rewards`, label: page.t("rep.rewards"), current: current === "rewards" },
    ],
  });
}

function badgeName(page: PageContext, key: string): string {
  return page.t(`rep.badge.${key}` as MessageKey);
}

interface ProfilePageData {
  community: CommunityRef;
  profile: Profile;
  /** Forms the viewer may use on this profile (champion program, suspension). */
  actions: Html;
}

export function profileView(page: PageContext, data: ProfilePageData): PageView {
  const { t } = page;
  const { profile: p, community } = data;
  const slug = community.slug;
  const stats = html`<dl class="stats-grid">
<div><dt>${t("rep.kudos")}</dt><dd>${p.kudos}</dd></div>
<div><dt>${t("rep.rankTitle")}</dt><dd>${rankLabel(page, p.rank)}</dd></div>
<div><dt>${t("rep.acceptedAnswers")}</dt><dd>${p.acceptedAnswers}</dd></div>
${p.balance !== undefined ? html`<div><dt>${t("rep.balance")}</dt><dd>${p.balance}</dd></div>` : ""}
</dl>`;
  const suspension = p.suspension
    ? html`<div class="notice warning"
      role="status"><p><strong>${t("mod.suspended.title")}</strong></p><p>${page.th("mod.suspended.until", {
        time: timeAgo(page, p.suspension.until!),
      })}</p><p>${t("mod.suspended.reason")} ${p.suspension.reason}</p></div>`
    : "";
  return {
    title: p.member.name,
    content: html`${communityCrumbs(page, community, { label: p.member.name })}
<div class="page-head"><div>
${avatar(p.member, "l")}<h1>${p.member.name}${authorMarks(page, { rank: p.rank, champion: p.champion })}</h1>
<p class="lead handle">@${p.member.handle}</p>
${
  p.member.memberSince
    ? html`<p
  class="lead">${page.th("rep.memberSince", { time: timeAgo(page, p.member.memberSince) })}</p>`
    : ""
}
</div></div>
${suspension}
${stats}
<section aria-labelledby="badges-title"><h2 id="badges-title">${t("rep.badges")}</h2>
${
  p.badges.length
    ? html`<ul class="badge-list" role="list">${p.badges.map(
        (b) =>
          html`<li>${badge(badgeName(page, b.badge), "success")}${
            b.count > 1
              ? html` <span
        class="count">×${b.count}</span>`
              : ""
          }</li>`,
      )}</ul>`
    : html`<p class="empty">${t("rep.noBadges")}</p>`
}
</section>
${
  p.certifications.length
    ? html`<section aria-labelledby="certs-title"><h2 id="certs-title">${t("rep.certifications")}</h2>
<ul class="badge-list" role="list">${p.certifications.map(
        (c) =>
          html`<li>${badge(c.title, "info")}${
            c.expiresAt
              ? html` <span class="hint">${page.th("rep.certifiedUntil", { date: dayOf(page, c.expiresAt) })}</span>`
              : ""
          }</li>`,
      )}</ul>
</section>`
    : ""
}
<section aria-labelledby="tags-title"><h2 id="tags-title">${t("rep.topTags")}</h2>
${
  p.topTags.length
    ? html`<ul class="tags" role="list">${p.topTags.map(
        (tag) => html`<li><a class="tag"
      href="/c/${slug}/leaderboard?tag=${encodeURIComponent(tag.tag)}">${tag.tag}</a> <span
        class="count">${tag.count}</span></li>`,
      )}</ul>`
    : html`<p class="empty">${t("rep.noTags")}</p>`
}
</section>
<section aria-labelledby="activity-title"><h2 id="activity-title">${t("rep.recent")}</h2>
${
  p.recentActivity.length
    ? html`<ul class="activity" role="list">${p.recentActivity.map(
        (a) =>
          html`<li>${t(a.type === "topic" ? "rep.asked" : "rep.answered")} <a
            href="${a.url}">${a.title}</a> · ${timeAgo(page, a.createdAt)}</li>`,
      )}</ul>`
    : html`<p class="empty">${t("rep.noActivity")}</p>`
}
</section>
${p.balance !== undefined ? html`<p><a href="/c/${slug}/u/${p.member.id}/kudos">${t("rep.ledger")}</a></p>` : ""}
${data.actions}`,
  };
}

export function leaderboardView(
  page: PageContext,
  data: { community: CommunityRef; period: Period; tag: string | null; leaders: LeaderRow[]; staff: LeaderRow[] },
): PageView {
  const { t } = page;
  const slug = data.community.slug;
  const heading = data.tag ? t("rep.leaderboardTag", { tag: data.tag }) : t("rep.leaderboard");
  const tagQuery = data.tag ? `&tag=${encodeURIComponent(data.tag)}` : "";
  return {
    title: heading,
    content: html`${communityCrumbs(page, data.community, { label: t("rep.leaderboard") })}
<h1>${heading}</h1>
${kudosNav(page, slug, "leaderboard")}
${linkNav({
  label: t("rep.period"),
  className: "tabs",
  links: PERIODS.map((period) => ({
    href: `/c/${slug}/leaderboard?period=${period}${tagQuery}`,
    label: t(`rep.period.${period}`),
    current: period === data.period,
  })),
})}
<form class="filters inline" method="get" action="/c/${slug}/leaderboard"><input type="hidden" name="period"
  value="${data.period}">
<label for="lb-tag">${t("rep.filterTag")}</label> <input type="text" id="lb-tag" name="tag" value="${data.tag ?? ""}"
  maxlength="30"> <button type="submit" class="button small">${t("list.apply")}</button></form>
${
  data.leaders.length
    ? leaderTable(page, slug, heading, data.leaders)
    : emptyState(t("rep.noLeaders"), { href: `/c/${slug}`, label: t("empty.browseTopics") })
}
${
  data.staff.length
    ? html`<section aria-labelledby="staff-leaders"><h2 id="staff-leaders">${t("rep.staffLeaders")}</h2>
<p class="hint">${t("rep.staffLeadersHint")}</p>
${leaderTable(page, slug, t("rep.staffLeaders"), data.staff)}</section>`
    : ""
}`,
  };
}

function leaderTable(page: PageContext, slug: string, caption: string, rows: LeaderRow[]): Html {
  const { t } = page;
  return html`<div class="table-wrap"><table class="leaderboard"><caption class="sr-only">${caption}</caption>
<thead><tr><th scope="col">#</th><th scope="col">${t("rep.member")}</th><th
  scope="col">${t("rep.kudos")}</th></tr></thead>
<tbody>${rows.map(
    (l, i) => html`<tr><td>${i + 1}</td><th
  scope="row">${authorName(page, slug, { ...l.member, rank: l.rank, champion: l.champion })}</th><td>${
    l.kudos
  }</td></tr>`,
  )}</tbody>
</table></div>`;
}

type Ledger = Awaited<ReturnType<typeof import("./reputation.profile.ts").ledger>>;

/** A member's kudos ledger: every entry with its reason; reversals marked. */
export function ledgerView(
  page: PageContext,
  data: { community: CommunityRef; member: { id: number; name: string }; ledger: Ledger; more: string | null },
): PageView {
  const { t } = page;
  const heading = t("rep.ledgerOf", { name: data.member.name });
  return {
    title: heading,
    content: html`${communityCrumbs(page, data.community, { label: heading })}
<h1>${heading}</h1>
<dl class="stats-grid"><div><dt>${t("rep.kudos")}</dt><dd>${data.ledger.kudos}</dd></div><div><dt>${t(
      "rep.balance",
    )}</dt><dd>${data.ledger.balance}</dd></div></dl>
${
  data.ledger.entries.length
    ? html`<div class="table-wrap"><table><caption class="sr-only">${heading}</caption>
<thead><tr><th scope="col">${t("rep.when")}</th><th scope="col">${t("rep.reason")}</th><th
  scope="col">${t("rep.amount")}</th></tr></thead>
<tbody>${data.ledger.entries.map(
        (e) =>
          html`<tr><td>${timeAgo(page, e.createdAt)}</td><td>${t(`rep.reason.${e.reason}` as MessageKey)}${
            e.reverses ? html` ${badge(t("rep.reversal"), "neutral")}` : ""
          }${
            e.topicId ? html` · <a href="/c/${data.community.slug}/t/${e.topicId}">#${e.topicId}</a>` : ""
          }</td><td class="amount">${e.amount > 0 ? `+${e.amount}` : e.amount}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p class="empty">${t("rep.noEntries")}</p>`
}
${data.more ? html`<p class="more"><a class="button" rel="next" href="${data.more}">${t("list.more")}</a></p>` : ""}`,
  };
}
