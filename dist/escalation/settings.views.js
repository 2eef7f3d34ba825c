import { html } from "../web/html.js";
import { blankForm } from "../web/forms.js";
import { formAlert, inputField, selectField } from "../web/fields.js";
import { actionButton, breadcrumbs } from "../web/components.js";
import { SCOPES } from "../communities/index.js";
const text = (value) => (value === null || value === undefined ? "" : String(value));
function categoryForm(page, base, category, failed) {
    const { t } = page;
    const prefix = `cat${category.id}-`;
    const form = failed ??
        blankForm({
            scope: category.scope,
            expectation: category.expectation,
            firstResponseMinutes: text(category.firstResponseMinutes),
            resolutionMinutes: text(category.resolutionMinutes),
        });
    const labels = {
        scope: t("category.scope"),
        expectation: t("category.expectation"),
        firstResponseMinutes: t("category.firstResponse"),
        resolutionMinutes: t("category.resolution"),
    };
    return html `<section class="card" aria-labelledby="${prefix}title">
<h3 id="${prefix}title">${category.name}</h3>
${formAlert(page, form, labels, prefix)}
<form method="post" action="${base}/categories/${category.id}" novalidate class="grid-form">${page.csrfField()}
${selectField({ form, id: `${prefix}scope`, name: "scope", label: labels.scope, hint: t("category.scopeHint"), options: SCOPES.map((s) => ({ value: s, label: t(`category.scope.${s}`) })) })}
${inputField({ form, id: `${prefix}expectation`, name: "expectation", label: labels.expectation, hint: t("category.expectationHint"), maxlength: 300 })}
${inputField({ form, id: `${prefix}firstResponseMinutes`, name: "firstResponseMinutes", label: labels.firstResponseMinutes, hint: t("category.minutesHint") })}
${inputField({ form, id: `${prefix}resolutionMinutes`, name: "resolutionMinutes", label: labels.resolutionMinutes, hint: t("category.resolutionHint") })}
<div class="actions"><button type="submit" class="button primary">${t("form.save")}</button></div>
</form>
</section>`;
}
function routingForm(page, base, settings, failed) {
    const { t } = page;
    const form = failed ??
        blankForm({
            experts: text(settings.experts),
            rerouteAfterMinutes: text(settings.rerouteAfterMinutes),
            maxOpen: text(settings.maxOpen),
        });
    const labels = {
        experts: t("routing.experts"),
        rerouteAfterMinutes: t("routing.rerouteAfter"),
        maxOpen: t("routing.maxOpen"),
    };
    return html `<section class="card" aria-labelledby="routing-title">
<h2 id="routing-title">${t("routing.settings")}</h2>
${formAlert(page, form, labels)}
<form method="post" action="${base}/routing" novalidate class="grid-form">${page.csrfField()}
${inputField({ form, name: "experts", label: labels.experts, hint: t("routing.expertsHint") })}
${inputField({ form, name: "rerouteAfterMinutes", label: labels.rerouteAfterMinutes, hint: t("routing.rerouteAfterHint") })}
${inputField({ form, name: "maxOpen", label: labels.maxOpen, hint: t("routing.maxOpenHint") })}
<div class="actions"><button type="submit" class="button primary">${t("form.save")}</button></div>
</form>
</section>`;
}
function webhookForm(page, base, webhook, failed) {
    const { t } = page;
    const form = failed ??
        blankForm({
            url: webhook?.url ?? "",
            timeoutSeconds: text(webhook?.timeoutSeconds ?? 5),
            active: webhook && !webhook.active ? "0" : "1",
        });
    const labels = {
        url: t("webhook.url"),
        secret: t("webhook.secret"),
        timeoutSeconds: t("webhook.timeout"),
        active: t("webhook.active"),
    };
    return html `<section class="card" aria-labelledby="webhook-title">
<h2 id="webhook-title">${t("webhook.title")}</h2>
<p>${t("webhook.intro")}</p>
${webhook ? html `<p>${t("webhook.currentSecret")} <code>${webhook.secret}</code></p>` : ""}
${formAlert(page, form, labels)}
<form method="post" action="${base}/webhook" novalidate class="grid-form">${page.csrfField()}
${inputField({ form, name: "url", label: labels.url, type: "url", required: true, maxlength: 2000 })}
${inputField({ form, name: "secret", label: labels.secret, hint: t("webhook.secretHint"), maxlength: 200 })}
${inputField({ form, name: "timeoutSeconds", label: labels.timeoutSeconds })}
${selectField({
        form,
        name: "active",
        label: labels.active,
        options: [
            { value: "1", label: t("webhook.on") },
            { value: "0", label: t("webhook.paused") },
        ],
    })}
<div class="actions"><button type="submit" class="button primary">${t("form.save")}</button></div>
</form>
${webhook ? actionButton(page, { action: `${base}/webhook/delete`, label: t("webhook.remove"), className: "button subtle" }) : ""}
</section>`;
}
/** Support settings of a community (admins): who answers each category and what to expect, routing, the help desk webhook. */
export function supportSettingsView(page, data, forms = {}) {
    const { t } = page;
    const base = `/c/${data.community.slug}/admin/support`;
    return {
        title: t("support.title", { community: data.community.name }),
        content: html `${breadcrumbs(page, [{ label: t("home.title"), href: "/" }, { label: data.community.name, href: `/c/${data.community.slug}` }, { label: t("support.heading") }])}
<h1>${t("support.title", { community: data.community.name })}</h1>
<section aria-labelledby="categories-title">
<h2 id="categories-title">${t("support.categories")}</h2>
<p>${t("support.categoriesLead")}</p>
${data.categories.length
            ? data.categories.map((c) => categoryForm(page, base, c, forms.category?.id === c.id ? forms.category.form : undefined))
            : html `<p class="empty">${t("support.noCategories")}</p>`}
</section>
${routingForm(page, base, data.routing, forms.routing)}
${webhookForm(page, base, data.webhook, forms.webhook)}`,
    };
}
