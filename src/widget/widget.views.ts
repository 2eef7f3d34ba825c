import { html, type Html } from "../web/html.ts";
import type { PageContext } from "../web/layout.ts";
import type { FormState, FormValues } from "../web/forms.ts";
import { formAlert, textareaField } from "../web/fields.ts";
import { card } from "../web/components.ts";
import { webOrigin } from "../communities/index.ts";

/** The allowed origins as the form shows them: one per line. */
export const originsValues = (origins: readonly string[]): FormValues => ({ allowedOrigins: origins.join("\n") });

const lines = (text: string | undefined) =>
  (text ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

/** The origins field's text (one per line) as the API's body. */
export const originsInput = (values: FormValues) => ({ allowedOrigins: lines(values.allowedOrigins) });

/** A refused origins field names the lines that are not origins (the schema's message cannot). */
function namingBadLines(page: PageContext, form: FormState): FormState {
  const bad = lines(form.values.allowedOrigins).filter((line) => !webOrigin.safeParse(line).success);
  if (!form.errors.allowedOrigins || bad.length === 0) return form;
  const message = page.t("widget.settings.notOrigins", { origins: bad.join(", ") });
  return { ...form, errors: { ...form.errors, allowedOrigins: message } };
}

/**
 * The widget's part of a community's settings page: the tag to paste into the company's site and
 * the allowed origins, one per line, posted to `action`.
 */
export function widgetSettingsCard(
  page: PageContext,
  data: { scriptUrl: string; action: string; form: FormState },
): Html {
  const { t } = page;
  const form = namingBadLines(page, data.form);
  return card(
    { id: "widget-settings", title: t("widget.settings.title") },
    html`
<p>${t("widget.settings.intro")}</p>
<pre class="embed-code"><code>${`<script src="${data.scriptUrl}" async></script>`}</code></pre>
${formAlert(page, form)}
<form method="post" action="${data.action}" novalidate class="grid-form">${page.csrfField()}
${textareaField({
  form,
  name: "allowedOrigins",
  label: t("widget.settings.origins"),
  hint: t("widget.settings.originsHint"),
  rows: 4,
})}
<div class="actions"><button type="submit" class="button primary">${t("form.save")}</button></div>
</form>`,
  );
}
