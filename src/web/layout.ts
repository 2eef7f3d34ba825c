import type { FastifyReply, FastifyRequest } from "fastify";
import type { Actor, Deps } from "../core/deps.ts";
import { fill, html, Html, type Part } from "./html.ts";
import { labelTableCells } from "./table.ts";
import {
  isLocale,
  LANGUAGE_COOKIE,
  LOCALE_NAMES,
  LOCALES,
  visitorLocale,
  pluralTranslator,
  translator,
  type Locale,
  type MessageKey,
  type Translate,
  type TranslatePlural,
} from "../i18n/i18n.ts";
import { doneNotice } from "./done.ts";
import { assetUrl } from "./assets.ts";
import { avatar, avatarUrl } from "./avatar.ts";
import { CSRF_FIELD, csrfToken } from "../http/csrf.ts";
import type { CacheScope } from "../core/page-cache.ts";

/** What every page needs: the viewer, their language, and a CSRF token on demand. */
export interface PageContext {
  req: FastifyRequest;
  reply: FastifyReply;
  deps: Deps;
  actor: Actor | null;
  locale: Locale;
  t: Translate;
  /** Plural-aware translation: `tn("topic.replies", 3)`. */
  tn: TranslatePlural;
  /** Translation whose `{placeholders}` take markup (links, times); the text itself is escaped. */
  th(key: MessageKey, params: Record<string, Part>): Html;
  now: number;
  /** The IANA zone times are shown in: the community's once the page's load step found one, else UTC. */
  timeZone: string;
  /** The requested path with its query, e.g. for "log in and come back" links. */
  path: string;
  /**
   * True when the page is the viewer's own (logged in, or it carries a CSRF token):
   * such a page must never be stored by a shared cache.
   */
  personal: boolean;
  /** A hidden CSRF field for a form: the session's token, or an anonymous visitor's (a cookie set on first use). */
  csrfField(): Html;
  /** The breadcrumb trail the page showed, if any (`breadcrumbs()` records it for the head's structured data). */
  trail?: readonly Crumb[];
  /** Set when an anonymous GET may be kept in the page cache: the cache's mark before anything was read. */
  cacheMark?: number;
}

/** One step of a breadcrumb trail; the last one (the page itself) has no link. */
export interface Crumb {
  label: string;
  href?: string;
}

/**
 * What a page shows, for the parts of the head other domains write (canonical link, description,
 * structured data, feeds). Each domain adds the kinds of its pages by declaration merging:
 * `declare module "../web/layout.ts" { interface PageSubjects { topic: { data: TopicPageData } } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: the domains merge their page kinds into it
export interface PageSubjects {}
export type PageSubject = { [K in keyof PageSubjects]: { kind: K } & PageSubjects[K] }[keyof PageSubjects];

/** A rendered page body and its title; `sendPage` wraps it in the layout. */
export interface PageView {
  title: string;
  content: Html;
  /** What the page is about, for the head (see PageSubjects); pages without one get the generic head. */
  subject?: PageSubject;
  /** What the page shows, for a page the same for every anonymous visitor that may be kept in the page cache. */
  cache?: CacheScope;
  /** Another status than 200: a page that answers a refused request with itself (filters it cannot show, 422). */
  status?: number;
}

export function pageContext(req: FastifyRequest, reply: FastifyReply, deps: Deps): PageContext {
  const actorLocale = req.actor?.locale;
  const locale = isLocale(actorLocale)
    ? actorLocale
    : visitorLocale(req.cookies[LANGUAGE_COOKIE], req.headers["accept-language"]);
  const t = translator(locale);
  const page: PageContext = {
    req,
    reply,
    deps,
    actor: req.actor,
    locale,
    t,
    tn: pluralTranslator(locale),
    th: (key, params) => fill(t(key), params),
    now: deps.clock.now(),
    timeZone: "UTC",
    path: req.url,
    personal: req.actor !== null,
    csrfField: () => {
      page.personal = true;
      return html`<input type="hidden" name="${CSRF_FIELD}"
        value="${csrfToken(req, reply, deps.config.secureCookies)}">`;
    },
  };
  return page;
}

/** A piece of every page a domain contributes to the layout; empty where it does not apply. */
export type LayoutPart = (page: PageContext) => Html | string | Promise<Html | string>;

/** Tags a domain writes into every page's head, from the rendered view (canonical link, meta tags, JSON-LD). */
export type HeadPart = (page: PageContext, view: PageView) => Html | string | Promise<Html | string>;

/**
 * What the layout takes from the domains, filled by the composition root: the stylesheets of
 * every page, tags in the head (canonical link, description, structured data), tools in the
 * header (the community's search box), and the signed-in viewer's account tools (the bell).
 */
export interface LayoutSlots {
  stylesheets: readonly string[];
  head: readonly HeadPart[];
  headerTools: readonly LayoutPart[];
  accountTools: readonly LayoutPart[];
  /** Above the content of a page that is not an error (a community's tab bar and Manage menu). */
  pageTop?: readonly LayoutPart[];
}

let installed: LayoutSlots = { stylesheets: [], head: [], headerTools: [], accountTools: [] };

export function installLayoutSlots(slots: LayoutSlots): void {
  installed = slots;
}

export function layoutSlots(): LayoutSlots {
  return installed;
}

/** Renders a list of parts for one page, in order. */
export async function renderParts(page: PageContext, parts: readonly LayoutPart[]): Promise<(Html | string)[]> {
  return Promise.all(parts.map((part) => part(page)));
}

/** The community a page belongs to, from its path (`/c/:slug/...`, lower case as slugs are), or null. */
export function communitySlugOf(page: Pick<PageContext, "path">): string | null {
  return /^\/c\/([a-z0-9-]+)/i.exec(page.path)?.[1].toLowerCase() ?? null;
}

/**
 * The signed-in member's menu: their pages (profile and bookings in the community being viewed, else
 * in their first one), then log out; a details element, so it works without script.
 */
function userMenu(page: PageContext, actor: Actor): Html {
  const { t } = page;
  const slug = communitySlugOf(page);
  const links = [
    { href: slug ? `/c/${slug}/u/${actor.id}` : "/me/profile", label: t("menu.profile") },
    { href: slug ? `/c/${slug}/service-friends/mine` : "/me/bookings", label: t("menu.bookings") },
    { href: "/me/questions-for-you", label: t("menu.questions") },
    { href: "/me/notifications", label: t("menu.notifications") },
    { href: "/me/account", label: t("menu.account") },
  ];
  return html`<details class="user-menu"><summary title="${actor.email}">${avatar(
    { name: actor.name, avatarUrl: avatarUrl(actor.avatarKey, 64) },
    "s",
  )}<span class="who">${actor.name}</span><span class="sr-only">, ${t("menu.label")}</span></summary><ul>${links.map(
    (l) => html`<li><a href="${l.href}">${l.label}</a></li>`,
  )}<li><form method="post" action="/logout">${page.csrfField()}<button type="submit"
  class="link-button">${t("nav.logout")}</button></form></li></ul></details>`;
}

/**
 * The anonymous visitor's language (remembered in a cookie): a small menu named by the current
 * language, each choice in its own language, so the header stays one row on a phone.
 */
function languageSwitcher(page: PageContext): Html {
  const next = encodeURIComponent(page.path);
  return html`<details class="user-menu language-menu"><summary><span lang="${page.locale}" class="wide-only">${
    LOCALE_NAMES[page.locale]
  }</span><span class="narrow-only" aria-hidden="true">${page.locale.toUpperCase()}</span><span
  class="sr-only">, ${page.t("lang.label")}</span></summary><nav aria-label="${page.t("lang.label")}"><ul>${LOCALES.map(
    (l) =>
      l === page.locale
        ? html`<li><span aria-current="true" lang="${l}">${LOCALE_NAMES[l]}</span></li>`
        : html`<li><a href="/language/${l}?next=${next}" lang="${l}" hreflang="${l}" rel="nofollow">${
            LOCALE_NAMES[l]
          }</a></li>`,
  )}</ul></nav></details>`;
}

/**
 * A request for the page itself, not a form post: a HEAD stands for the GET, and renders the same
 * page, so that its ETag and length are the GET's.
 */
export const readsPage = (req: FastifyRequest): boolean => req.method === "GET" || req.method === "HEAD";

async function accountNav(page: PageContext): Promise<Html> {
  const { t, actor } = page;
  if (actor) {
    const tools = await renderParts(page, layoutSlots().accountTools);
    return html`${tools}${userMenu(page, actor)}`;
  }
  // Come back here after logging in, when "here" is a page one can come back to.
  const back = readsPage(page.req) && !page.path.startsWith("/login") && !page.path.startsWith("/signup");
  const next = back ? `?next=${encodeURIComponent(page.path)}` : "";
  return html`${languageSwitcher(page)}<a href="/login${next}">${t("nav.login")}</a> <a class="button small"
    href="/signup${next}">${t("nav.signup")}</a>`;
}

export async function layout(page: PageContext, view: PageView, status = 200): Promise<Html> {
  const { t } = page;
  const slots = layoutSlots();
  const [headerTools, account, head, top] = await Promise.all([
    renderParts(page, slots.headerTools),
    accountNav(page),
    Promise.all(slots.head.map((part) => part(page, view))),
    status < 400 || status === 422 ? renderParts(page, slots.pageTop ?? []) : [],
  ]);
  return html`<!doctype html>
<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${view.title} · ${t("app.name")}</title>
${head}
<script src="${assetUrl("theme.js")}"></script>
<link rel="stylesheet" href="${assetUrl("app.css")}">
${slots.stylesheets.map((href) => html`<link rel="stylesheet" href="${href}">\n`)}<script src="${assetUrl("app.js")}"
  defer></script>
</head>
<body>
<a class="skip" href="#main">${t("nav.skip")}</a>
<header class="site-header">
<div class="bar">
<a class="brand" href="/">${t("app.name")}</a>
${headerTools}
<nav class="account" aria-label="${t("nav.account")}">${account}</nav>
</div>
</header>
<main id="main" tabindex="-1">
${top}${doneNotice(t, page.req.query)}${new Html(labelTableCells(view.content.value))}
</main>
<footer class="site-footer"><div class="bar"><span>${t("footer.tagline")}</span>
<span class="footer-tools"><button type="button" class="button small" data-theme-toggle aria-pressed="false"
  hidden>${t("footer.darkMode")}</button> <a href="/api/v1/openapi.json">${t("footer.api")}</a></span></div></footer>
</body>
</html>`;
}
