import type { FastifyReply, FastifyRequest } from "fastify";
import type { Actor, Deps } from "../http/context.ts";
import { html, type Html } from "./html.ts";
import { isLocale, localeFromHeader, translator, type Locale, type Translate } from "../i18n/i18n.ts";
import { assetUrl } from "./assets.ts";
import { CSRF_FIELD, csrfToken } from "../http/csrf.ts";

/** What every page needs: the viewer, their language, and a CSRF token on demand. */
export interface PageContext {
  actor: Actor | null;
  locale: Locale;
  t: Translate;
  now: number;
  /** A hidden CSRF field for a form; sets the CSRF cookie the first time. */
  csrfField(): Html;
  path: string;
}

export function pageContext(req: FastifyRequest, reply: FastifyReply, deps: Deps): PageContext {
  const actorLocale = req.actor?.locale;
  const locale = isLocale(actorLocale) ? actorLocale : localeFromHeader(req.headers["accept-language"]);
  return {
    actor: req.actor,
    locale,
    t: translator(locale),
    now: deps.clock.now(),
    csrfField: () => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrfToken(req, reply, deps.config.secureCookies)}">`,
    path: req.url,
  };
}

export function layout(page: PageContext, meta: { title: string }, content: Html): Html {
  const { t, actor } = page;
  return html`<!doctype html>
<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${meta.title} · ${t("app.name")}</title>
<link rel="stylesheet" href="${assetUrl("app.css")}">
<script src="${assetUrl("app.js")}" defer></script>
</head>
<body>
<a class="skip" href="#main">${t("nav.skip")}</a>
<header class="site-header">
<nav aria-label="${t("nav.main")}">
<a class="brand" href="/">${t("app.name")}</a>
${actor
  ? html`<span class="who">${actor.name}</span>
<form method="post" action="/logout" class="inline">${page.csrfField()}<button type="submit">${t("nav.logout")}</button></form>`
  : html`<a href="/login">${t("nav.login")}</a> <a href="/signup">${t("nav.signup")}</a>`}
</nav>
</header>
<main id="main">
${content}
</main>
</body>
</html>`;
}
