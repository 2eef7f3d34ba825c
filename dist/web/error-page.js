import { html } from "./html.js";
import { pageContext } from "./layout.js";
import { loginUrl, sendPage } from "./page.js";
const ERROR_TEXTS = {
    400: ["error.400.title", "error.400.text"],
    401: ["error.401.title", "error.401.text"],
    403: ["error.403.title", "error.403.text"],
    404: ["error.404.title", "error.404.text"],
    409: ["error.409.title", "error.409.text"],
    413: ["error.400.title", "error.400.text"],
    415: ["error.400.title", "error.400.text"],
    422: ["error.422.title", "error.422.text"],
    429: ["error.429.title", "error.429.text"],
};
/**
 * The HTML error page for any failed page request. The heading and explanation come from the
 * catalog by status; the use case's own message (in English) adds detail for English readers.
 */
export function renderErrorPage(req, reply, deps, status, message) {
    const page = pageContext(req, reply, deps);
    const [titleKey, textKey] = ERROR_TEXTS[status] ?? ["error.500.title", "error.500.text"];
    const { t } = page;
    const content = html `<section class="error-page" aria-labelledby="error-title">
<p class="error-code">${status}</p>
<h1 id="error-title">${t(titleKey)}</h1>
<p>${t(textKey)}</p>
${page.locale === "en" && message && status < 500 ? html `<p class="error-detail">${message}</p>` : ""}
<p class="error-actions">${status === 401 ? html `<a class="button" href="${loginUrl(req.method === "GET" ? req.url : "/")}">${t("nav.login")}</a> ` : ""}<a href="/">${t("error.home")}</a></p>
</section>`;
    return sendPage(page, { title: t(titleKey), content }, status);
}
