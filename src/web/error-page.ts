import type { FastifyReply, FastifyRequest } from "fastify";
import type { Deps } from "../core/deps.ts";
import type { Explanation } from "../core/errors.ts";
import type { MessageKey } from "../i18n/i18n.ts";
import { html } from "./html.ts";
import { pageContext, readsPage } from "./layout.ts";
import { loginUrl, sendPage } from "./page.ts";

const ERROR_TEXTS: Record<number, [MessageKey, MessageKey]> = {
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
 * catalog by status; the refusal's own explanation (an i18n key) adds detail in every language,
 * else the use case's message (in English) adds it for English readers.
 */
export function renderErrorPage(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: Deps,
  status: number,
  message: string,
  explanation?: Explanation,
) {
  const page = pageContext(req, reply, deps);
  const [titleKey, textKey] = ERROR_TEXTS[status] ?? ["error.500.title", "error.500.text"];
  const { t } = page;
  // A key no catalog has reads as itself: then the English message is the better detail.
  const explained = explanation && t(explanation.key as MessageKey, explanation.params);
  const detail =
    status >= 500 ? "" : explained && explained !== explanation?.key ? explained : page.locale === "en" ? message : "";
  const content = html`<section class="error-page" aria-labelledby="error-title">
<p class="error-code">${status}</p>
<h1 id="error-title">${t(titleKey)}</h1>
<p>${t(textKey)}</p>
${detail ? html`<p class="error-detail">${detail}</p>` : ""}
<p class="error-actions">${
    status === 401
      ? html`<a class="button"
  href="${loginUrl(readsPage(req) ? req.url : "/")}">${t("nav.login")}</a> `
      : ""
  }<a
    href="/">${t("error.home")}</a></p>
</section>`;
  return sendPage(page, { title: t(titleKey), content }, status);
}
