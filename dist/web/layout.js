import { fill, html } from "./html.js";
import { isLocale, localeFromHeader, pluralTranslator, translator, } from "../i18n/i18n.js";
import { assetUrl } from "./assets.js";
import { CSRF_FIELD, csrfToken } from "../http/csrf.js";
export function pageContext(req, reply, deps) {
    const actorLocale = req.actor?.locale;
    const locale = isLocale(actorLocale) ? actorLocale : localeFromHeader(req.headers["accept-language"]);
    const t = translator(locale);
    const page = {
        req,
        reply,
        deps,
        actor: req.actor,
        locale,
        t,
        tn: pluralTranslator(locale),
        th: (key, params) => fill(t(key), params),
        now: deps.clock.now(),
        path: req.url,
        personal: req.actor !== null,
        csrfField: () => {
            page.personal = true;
            return html `<input type="hidden" name="${CSRF_FIELD}" value="${csrfToken(req, reply, deps.config.secureCookies)}">`;
        },
    };
    return page;
}
let installed = { stylesheets: [], headerTools: [], accountTools: [] };
export function installLayoutSlots(slots) {
    installed = slots;
}
export function layoutSlots() {
    return installed;
}
/** Renders a list of parts for one page, in order. */
export async function renderParts(page, parts) {
    return Promise.all(parts.map((part) => part(page)));
}
/** The community a page belongs to, from its path (`/c/:slug/...`), or null. */
export function communitySlugOf(page) {
    return /^\/c\/([a-z0-9-]+)/.exec(page.path)?.[1] ?? null;
}
async function accountNav(page) {
    const { t, actor } = page;
    if (actor) {
        const tools = await renderParts(page, layoutSlots().accountTools);
        return html `${tools}<span class="who" title="${actor.email}">${actor.name}</span>
<form method="post" action="/logout">${page.csrfField()}<button type="submit" class="link-button">${t("nav.logout")}</button></form>`;
    }
    // Come back here after logging in, when "here" is a page one can come back to.
    const back = page.req.method === "GET" && !page.path.startsWith("/login") && !page.path.startsWith("/signup");
    const next = back ? `?next=${encodeURIComponent(page.path)}` : "";
    return html `<a href="/login${next}">${t("nav.login")}</a> <a class="button small" href="/signup${next}">${t("nav.signup")}</a>`;
}
export async function layout(page, view) {
    const { t } = page;
    const slots = layoutSlots();
    const [headerTools, account] = await Promise.all([renderParts(page, slots.headerTools), accountNav(page)]);
    return html `<!doctype html>
<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${view.title} · ${t("app.name")}</title>
<link rel="stylesheet" href="${assetUrl("app.css")}">
${slots.stylesheets.map((href) => html `<link rel="stylesheet" href="${href}">\n`)}<script src="${assetUrl("app.js")}" defer></script>
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
${view.content}
</main>
<footer class="site-footer"><div class="bar"><span>${t("footer.tagline")}</span> <a href="/api/v1/openapi.json">${t("footer.api")}</a></div></footer>
</body>
</html>`;
}
