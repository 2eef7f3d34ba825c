import { can } from "../access/privileges.ts";
import type { CommunityTab, ManageLink } from "../communities/communities.nav.ts";

/**
 * The sections of a community, in the order of its tab bar. Each holds its own pages: the topic list
 * holds topics, categories, search and posting; Service friends holds bookings, offers and helpers.
 */
export const COMMUNITY_TABS: readonly CommunityTab[] = [
  { path: "", label: "list.topics", holds: /^(\/?|\/(t|r|new|categories|search|posts)(\/.*)?)$/ },
  { path: "/ideas", label: "idea.board", holds: /^\/ideas(\/|$)/ },
  { path: "/kb", label: "kb.title", holds: /^\/kb(\/|$)/ },
  {
    path: "/service-friends",
    label: "market.title",
    holds: /^\/(service-friends|helpers|bookings|offers|job-requests|reviews)(\/|$)/,
  },
  { path: "/academy", label: "academy.title", holds: /^\/academy(\/|$)/ },
  { path: "/leaderboard", label: "rep.leaderboard", holds: /^\/(leaderboard|rewards|redemptions|u)(\/|$)/ },
];

const page =
  (path: string) =>
  (slug: string): string =>
    `/c/${slug}${path}`;

/**
 * Every staff, moderator and admin page of a community, by group, each behind the privilege its
 * route checks (the routes check again: the menu only spares people links they cannot use).
 */
export const MANAGE_LINKS: readonly ManageLink[] = [
  { group: "moderation", href: page("/review-queue"), label: "mod.queue", allowed: (a) => can(a, "review.queue") },
  { group: "moderation", href: page("/audit"), label: "mod.audit", allowed: (a) => can(a, "audit.view") },
  { group: "staff", href: page("/staff"), label: "list.staffQueue", allowed: (a) => can(a, "queue.work") },
  { group: "staff", href: page("/insights"), label: "insights.title", allowed: (a) => can(a, "insights.view") },
  {
    group: "staff",
    href: page("/service-friends/staff"),
    label: "nav.manage.marketDesk",
    allowed: (a) => can(a, "market.staff"),
  },
  { group: "staff", href: page("/kb/new"), label: "kb.new", allowed: (a) => can(a, "article.write") },
  { group: "staff", href: page("/academy/new"), label: "academy.new", allowed: (a) => can(a, "course.create") },
  { group: "admin", href: page("/members"), label: "members.heading", allowed: (a) => can(a, "member.setRole") },
  { group: "admin", href: page("/settings"), label: "set.title", allowed: (a) => can(a, "community.configure") },
  {
    group: "admin",
    href: page("/settings#widget-settings"),
    label: "nav.manage.widgetOrigins",
    allowed: (a) => can(a, "community.configure"),
  },
  {
    group: "admin",
    href: page("/admin/support"),
    label: "list.supportSettings",
    allowed: (a) => can(a, "support.configure"),
  },
  {
    group: "admin",
    href: page("/admin/sso"),
    label: "list.ssoSettings",
    allowed: (a, deps) => can(a, "member.setRole") && deps.config.oidcProviders.length > 0,
  },
  {
    group: "admin",
    href: () => "/admin/emails",
    label: "nav.manage.adminEmails",
    allowed: (a) => a.actor?.isPlatformAdmin === true,
  },
];
