import type { MessageKey } from "../i18n/i18n.ts";
import { calendarDay, dateTime, dateTimeWithHint, relativeTime } from "../i18n/time-format.ts";
import { localDate } from "../lib/zoned-time.ts";
import { DEFAULT_RANK_NAMES } from "../access/trust-levels.ts";
import { html, type Html, type Part } from "./html.ts";
import { avatar } from "./avatar.ts";
import type { Crumb, PageContext } from "./layout.ts";

export type { Crumb };

const msOf = (at: string | number) => (typeof at === "number" ? at : Date.parse(at));

/** "3 hours ago", with the exact time (community zone, reader's locale) for machines and as a tooltip. */
export function timeAgo(page: PageContext, at: string | number): Html {
  const ms = msOf(at);
  return html`<time datetime="${new Date(ms).toISOString()}"
    title="${dateTime(page.locale, ms, page.timeZone)}">${relativeTime(page.locale, ms, page.now)}</time>`;
}

/** "Mon, 7 Dec 2026, 10:00 (in 5 days)": a time that matters as a time (an appointment, a deadline). */
export function timeAt(page: PageContext, at: string | number): Html {
  const ms = msOf(at);
  return html`<time datetime="${new Date(ms).toISOString()}">${dateTimeWithHint(page, ms)}</time>`;
}

/** "2 December 2028", with "in 2 years" as a tooltip: a day that matters as a date (an expiry). */
export function dayOf(page: PageContext, at: string | number): Html {
  const ms = msOf(at);
  return html`<time datetime="${localDate(ms, page.timeZone)}"
    title="${relativeTime(page.locale, ms, page.now)}">${calendarDay(page.locale, ms, page.timeZone)}</time>`;
}

/** The one next step an empty list offers: a link, styled as a button. */
export interface EmptyAction {
  href: string;
  label: string;
}

/**
 * What every list shows when it has nothing: a short message and at most one next action
 * ("No questions yet." · "Ask the first one"), so an empty page is never a dead end.
 */
export function emptyState(message: string | Html, action?: EmptyAction | null): Html {
  return html`<div class="empty"><p class="empty-message">${message}</p>${
    action ? html`<p class="empty-action"><a class="button" href="${action.href}">${action.label}</a></p>` : ""
  }</div>`;
}

export type BadgeTone = "neutral" | "info" | "success" | "accent" | "warning";

export function badge(text: string, tone: BadgeTone = "neutral"): Html {
  return html`<span class="badge ${tone}">${text}</span>`;
}

/**
 * The view models of the shared components: what a page hands them, never a service's rows.
 * A community as pages name and link it.
 */
export interface CommunityRef {
  slug: string;
  name: string;
}

/** A link in a navigation list; `current` marks the page (or filter) being shown. */
export interface NavLink {
  href: string;
  label: string;
  current?: boolean;
}

/**
 * Where the page sits; the last crumb is the current page and is not a link. The trail is recorded
 * on the page for the head's structured data (BreadcrumbList).
 */
export function breadcrumbs(page: PageContext, trail: readonly Crumb[]): Html {
  page.trail = trail;
  return html`<nav class="crumbs" aria-label="${page.t("nav.breadcrumbs")}"><ol>${trail.map((c) =>
    c.href ? html`<li><a href="${c.href}">${c.label}</a></li>` : html`<li aria-current="page">${c.label}</li>`,
  )}</ol></nav>`;
}

/** The breadcrumbs of every page in a community: home, the community, then the page's own trail. */
export function communityCrumbs(page: PageContext, community: CommunityRef, ...trail: Crumb[]): Html {
  return breadcrumbs(page, [
    { label: page.t("home.title"), href: "/" },
    { label: community.name, href: `/c/${community.slug}` },
    ...trail,
  ]);
}

/**
 * A labelled list of links with the current one marked: a section's own pages, tabs, filters.
 * The classes are the caller's (the nav's, the list's, each link's), the markup is the same everywhere.
 */
export function linkNav(props: {
  label: string;
  links: readonly NavLink[];
  className?: string;
  listClassName?: string;
  linkClassName?: string;
}): Html {
  const navClass = props.className ? html` class="${props.className}"` : "";
  const listClass = props.listClassName ? html` class="${props.listClassName}"` : "";
  const linkClass = props.linkClassName ? html` class="${props.linkClassName}"` : "";
  return html`<nav${navClass} aria-label="${props.label}"><ul${listClass} role="list">${props.links.map(
    (link) =>
      html`<li><a${linkClass} href="${link.href}"${link.current ? html` aria-current="page"` : ""}>${
        link.label
      }</a></li>`,
  )}</ul></nav>`;
}

/** A card with a heading that names it (for assistive technology too): a panel, a form on a page. */
export function card(props: { id: string; title: Part; className?: string }, ...body: Part[]): Html {
  const className = props.className ? `card ${props.className}` : "card";
  return html`<section class="${className}" aria-labelledby="${props.id}"><h2
    id="${props.id}">${props.title}</h2>${body}</section>`;
}

/** A button that posts a one-field form (join, accept, follow...). */
export function actionButton(
  page: PageContext,
  props: { action: string; label: string; className?: string; fields?: Record<string, string> },
): Html {
  return html`<form method="post" action="${props.action}" class="inline-form">${page.csrfField()}${Object.entries(
    props.fields ?? {},
  ).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )}<button type="submit" class="${props.className ?? "button"}">${props.label}</button></form>`;
}

type Author = {
  id: number;
  name: string;
  /** The member's avatar (web/avatar.ts); initials without one. */
  avatarUrl?: string | null;
  rank?: { level: number; name: string };
  champion?: boolean;
  suspended?: boolean;
  /** Staff of the community: shown as "Staff" instead of a rank earned by kudos. */
  staff?: boolean;
};

/** A rank's name: the default ranks in the reader's language, a community's own names as written. */
export function rankLabel(page: PageContext, rank: { name: string }): string {
  return (DEFAULT_RANK_NAMES as readonly string[]).includes(rank.name)
    ? page.t(`rep.rank.${rank.name.toLowerCase()}` as MessageKey)
    : rank.name;
}

/** Rank (or "Staff"), champion mark and a running suspension next to a member's name. */
export function authorMarks(
  page: PageContext,
  author: Pick<Author, "rank" | "champion" | "suspended" | "staff">,
): Html {
  return html`${
    author.staff
      ? html` <span class="rank staff-mark">${page.t("author.staff")}</span>`
      : author.rank
        ? html` <span class="rank rank-${Math.min(author.rank.level, 5)}"
    title="${page.t("rep.rankTitle")}">${rankLabel(page, author.rank)}</span>`
        : ""
  }${
    author.champion
      ? html` <span class="champion-mark" title="${page.t("rep.championTitle")}">★ ${page.t("rep.champion")}</span>`
      : ""
  }${author.suspended ? html` <span class="suspended">${page.t("author.suspended")}</span>` : ""}`;
}

/** A member's face and name linking to their profile in the community, with rank and champion mark. */
export function authorName(page: PageContext, slug: string, author: Author): Html {
  return html`<a class="author" href="/c/${slug}/u/${author.id}">${avatar(author)}${author.name}</a>${authorMarks(
    page,
    author,
  )}`;
}

/** The viewer's own suspension (`suspensionOf(access)`), where they would otherwise take part. */
export function suspensionNotice(page: PageContext, suspension: { until: number; reason: string } | null): Html {
  if (!suspension) return html``;
  return html`<div class="notice warning" role="status"><p><strong>${page.t("mod.suspended.title")}</strong></p>
<p>${page.th("mod.suspended.until", { time: timeAgo(page, suspension.until) })}</p><p>${page.t(
    "mod.suspended.reason",
  )} ${suspension.reason}</p></div>`;
}
