import type { OidcProviderConfig } from "../core/config.ts";
import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import type { SsoFailureReason } from "./sso.client.ts";

/** The page that starts a login at the provider. */
export function loginPath(provider: Pick<OidcProviderConfig, "name">, next = "/"): string {
  const path = `/auth/oidc/${encodeURIComponent(provider.name)}`;
  return next === "/" ? path : `${path}?next=${encodeURIComponent(next)}`;
}

/** "Log in with <provider>" buttons for the login page; nothing when no provider is configured. */
export function ssoLoginButtons(page: PageContext, next: string): Html | string {
  const providers = page.deps.config.oidcProviders;
  if (providers.length === 0) return "";
  return html`<div class="sso-logins" aria-label="${page.t("sso.loginWithAria")}" role="group">
<p class="switch">${page.t("sso.or")}</p>
${providers.map(
  (p) =>
    html`<p><a class="button" href="${loginPath(p, next)}">${page.t("sso.loginWith", { provider: p.label })}</a></p>`,
)}
</div>`;
}

const REASON_KEYS = {
  state: "sso.failed.state",
  nonce: "sso.failed.nonce",
  code: "sso.failed.code",
  denied: "sso.failed.denied",
  exchange: "sso.failed.exchange",
  email_missing: "sso.failed.emailMissing",
  email_invalid: "sso.failed.emailInvalid",
  email_unverified: "sso.failed.emailUnverified",
  email_linked: "sso.failed.emailLinked",
} as const satisfies Record<SsoFailureReason, string>;

/** Why the login through the provider did not log anyone in, with the ways on. */
export function failureView(page: PageContext, provider: OidcProviderConfig, reason: SsoFailureReason): PageView {
  const { t } = page;
  return {
    title: t("sso.failed.title"),
    content: html`<section class="narrow card" aria-labelledby="sso-failed-title">
<h1 id="sso-failed-title">${t("sso.failed.title")}</h1>
<p class="form-alert" role="alert" data-reason="${reason}">${t(REASON_KEYS[reason], { provider: provider.label })}</p>
<p class="actions"><a class="button primary" href="${loginPath(provider)}">${t("sso.tryAgain", {
      provider: provider.label,
    })}</a>
<a href="/login">${t("sso.passwordLogin")}</a></p>
</section>`,
  };
}
