import { html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import type { FormState } from "../web/forms.ts";
import { formAlert, inputField, selectField } from "../web/fields.ts";
import { communityCrumbs, type CommunityRef } from "../web/components.ts";

/** The community admins' form for the single sign-on requirement ("must be our customer"). */
export function ssoSettingsView(page: PageContext, community: CommunityRef, form: FormState): PageView {
  const { t } = page;
  const labels = {
    provider: t("sso.settings.provider"),
    toPost: t("sso.settings.toPost"),
    toApply: t("sso.settings.toApply"),
    claim: t("sso.settings.claim"),
    claimValue: t("sso.settings.claimValue"),
  };
  const yesNo = [
    { value: "0", label: t("sso.settings.no") },
    { value: "1", label: t("sso.settings.yes") },
  ];
  const providers = page.deps.config.oidcProviders.map((p) => ({ value: p.name, label: p.label }));
  return {
    title: t("sso.settings.title"),
    content: html`${communityCrumbs(page, community, { label: t("sso.settings.title") })}
<section class="card form-page" aria-labelledby="sso-settings-title">
<h1 id="sso-settings-title">${t("sso.settings.title")}</h1>
<p>${t("sso.settings.intro")}</p>
${providers.length === 0 ? html`<p class="notice">${t("sso.settings.noProviders")}</p>` : ""}
${formAlert(page, form, labels)}
<form method="post" action="/c/${community.slug}/admin/sso" novalidate>${page.csrfField()}
${selectField({
  form,
  name: "provider",
  label: labels.provider,
  options: [{ value: "", label: t("sso.settings.anyProvider") }, ...providers],
})}
${selectField({ form, name: "toPost", label: labels.toPost, options: yesNo })}
${selectField({ form, name: "toApply", label: labels.toApply, options: yesNo })}
${inputField({ form, name: "claim", label: labels.claim, hint: t("sso.settings.claimHint"), maxlength: 100 })}
${inputField({
  form,
  name: "claimValue",
  label: labels.claimValue,
  hint: t("sso.settings.claimValueHint"),
  maxlength: 200,
})}
<button type="submit" class="button primary">${t("sso.settings.save")}</button>
</form>
</section>`,
  };
}
