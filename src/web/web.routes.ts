import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Deps } from "../http/context.ts";
import type { MessageKey } from "../i18n/i18n.ts";
import { html } from "./html.ts";
import { pageContext } from "./layout.ts";
import { loginUrl, sendPage } from "./page.ts";
import { registerAssets } from "./assets.ts";
import { registerAccountPages } from "../accounts/accounts.pages.ts";
import { registerCommunityPages } from "../communities/communities.pages.ts";
import { registerTopicPages } from "../topics/topics.pages.ts";
import { registerTopicEditPages } from "../topics/topics.edit.pages.ts";
import { registerNotificationPages } from "../notifications/notifications.pages.ts";
import { registerSearchPages } from "../search/search.pages.ts";
import { registerRoutingPages } from "../routing/routing.pages.ts";
import { registerEscalationPages } from "../escalation/escalation.pages.ts";
import { registerSupportSettingsPages } from "../escalation/settings.pages.ts";
import { registerAcademyPages } from "../academy/academy.pages.ts";
import { registerMarketplacePages } from "../marketplace/marketplace.pages.ts";
import { registerReputationPages } from "../reputation/reputation.pages.ts";
import { registerModerationPages } from "../moderation/moderation.pages.ts";
import { registerTrustAssets } from "../reputation/reputation.assets.ts";

/** Every HTML page of the product; each domain registers its own. */
export async function registerWeb(app: FastifyInstance, deps: Deps): Promise<void> {
  registerAssets(app);
  registerAccountPages(app, deps);
  registerCommunityPages(app, deps);
  registerTopicPages(app, deps);
  registerTopicEditPages(app, deps);
  registerNotificationPages(app, deps);
  registerSearchPages(app, deps);
  registerRoutingPages(app, deps);
  registerEscalationPages(app, deps);
  registerSupportSettingsPages(app, deps);
  registerAcademyPages(app, deps);
  registerMarketplacePages(app, deps);
  registerTrustAssets(app);
  registerReputationPages(app, deps);
  registerModerationPages(app, deps);
}

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
 * catalog by status; the use case's own message (in English) adds detail for English readers.
 */
export function renderErrorPage(req: FastifyRequest, reply: FastifyReply, deps: Deps, status: number, message: string) {
  const page = pageContext(req, reply, deps);
  const [titleKey, textKey] = ERROR_TEXTS[status] ?? ["error.500.title", "error.500.text"];
  const { t } = page;
  const content = html`<section class="error-page" aria-labelledby="error-title">
<p class="error-code">${status}</p>
<h1 id="error-title">${t(titleKey)}</h1>
<p>${t(textKey)}</p>
${page.locale === "en" && message && status < 500 ? html`<p class="error-detail">${message}</p>` : ""}
<p class="error-actions">${status === 401 ? html`<a class="button" href="${loginUrl(req.method === "GET" ? req.url : "/")}">${t("nav.login")}</a> ` : ""}<a href="/">${t("error.home")}</a></p>
</section>`;
  return sendPage(page, { title: t(titleKey), content }, status);
}
