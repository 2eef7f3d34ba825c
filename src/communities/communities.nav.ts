import type { Deps } from "../core/deps.ts";
import type { MessageKey } from "../i18n/i18n.ts";
import { html, type Html } from "../web/html.ts";
import { communitySlugOf, type LayoutPart, type PageContext } from "../web/layout.ts";
import { pageAccess, type LoadedAccess } from "./communities.access.ts";

/** A section of every community, one tab: its address below `/c/:slug` and the paths it holds. */
export interface CommunityTab {
  path: string;
  label: MessageKey;
  /** Tested on the path below `/c/:slug` (without the query): is the viewer in this section? */
  holds: RegExp;
}

export const MANAGE_GROUPS = ["moderation", "staff", "admin"] as const;
export type ManageGroup = (typeof MANAGE_GROUPS)[number];

/** A staff, moderator or admin page in the Manage menu, shown only to those it lets in. */
export interface ManageLink {
  group: ManageGroup;
  /** The page's address in the community with this slug (a platform page ignores it). */
  href: (slug: string) => string;
  label: MessageKey;
  allowed: (access: LoadedAccess, deps: Deps) => boolean;
}

const GROUP_LABEL: Record<ManageGroup, MessageKey> = {
  moderation: "nav.manage.moderation",
  staff: "nav.manage.staff",
  admin: "nav.manage.admin",
};

/** The tab bar: every section, the current one marked; it scrolls sideways on a narrow phone. */
function tabBar(page: PageContext, slug: string, tabs: readonly CommunityTab[]): Html {
  const rest = (page.path.split(/[?#]/)[0] ?? "").slice(`/c/${slug}`.length);
  const current = tabs.find((tab) => tab.holds.test(rest));
  return html`<nav class="community-tabs" aria-label="${page.t("nav.sections")}"><ul role="list">${tabs.map(
    (tab) =>
      html`<li><a href="/c/${slug}${tab.path}"${tab === current ? html` aria-current="page"` : ""}>${page.t(
        tab.label,
      )}</a></li>`,
  )}</ul></nav>`;
}

/** The pages of the Manage menu the viewer may use, by group; empty for a plain member. */
export function manageLinksFor(
  access: LoadedAccess,
  deps: Deps,
  links: readonly ManageLink[],
): { group: ManageGroup; links: { href: string; label: MessageKey }[] }[] {
  const slug = access.community.slug;
  return MANAGE_GROUPS.map((group) => ({
    group,
    links: links
      .filter((link) => link.group === group && link.allowed(access, deps))
      .map((link) => ({ href: link.href(slug), label: link.label })),
  })).filter((g) => g.links.length > 0);
}

/** A details element, so it opens without script; each group is a labelled list of links. */
function manageMenu(page: PageContext, groups: ReturnType<typeof manageLinksFor>): Html {
  if (groups.length === 0) return html``;
  const here = page.path.split(/[?#]/)[0];
  return html`<details class="manage-menu"><summary>${page.t("nav.manage")}</summary><nav
  aria-label="${page.t("nav.manage.label")}">${groups.map(
    ({ group, links }) => html`<p class="manage-heading" id="manage-${group}">${page.t(GROUP_LABEL[group])}</p><ul
  aria-labelledby="manage-${group}">${links.map(
    (link) =>
      html`<li><a href="${link.href}"${link.href === here ? html` aria-current="page"` : ""}>${page.t(
        link.label,
      )}</a></li>`,
  )}</ul>`,
  )}</nav></details>`;
}

/**
 * The bar at the top of every page of a community: its sections as tabs, and for staff, moderators
 * and admins one Manage menu with the pages their role opens. An anonymous visitor's bar is the same
 * for everyone and costs no query; a signed-in viewer's uses the access the page loaded, or asks
 * once (pageAccess).
 */
export function communityBar(tabs: readonly CommunityTab[], manage: readonly ManageLink[]): LayoutPart {
  return async (page) => {
    const slug = communitySlugOf(page);
    if (!slug) return "";
    let groups: ReturnType<typeof manageLinksFor> = [];
    if (page.actor) {
      const access = await pageAccess(page, slug).catch(() => null);
      if (access) groups = manageLinksFor(access, page.deps, manage);
    }
    return html`<div class="community-bar">${tabBar(page, slug, tabs)}${manageMenu(page, groups)}</div>`;
  };
}
