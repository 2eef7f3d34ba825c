import { html, type Html } from "../web/html.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import type { FormState } from "../web/forms.ts";
import { newPasswordField } from "./accounts.views.ts";
import { formAlert, inputField } from "../web/fields.ts";

/** The pages of links sent by email: asking for a reset, setting the new password, confirming an address. */

function narrow(id: string, title: string, body: Html): PageView {
  return {
    title,
    content: html`<section class="narrow card" aria-labelledby="${id}"><h1 id="${id}">${title}</h1>${body}</section>`,
  };
}

export function resetRequestView(page: PageContext, form: FormState, sent: boolean): PageView {
  const { t } = page;
  const labels = { email: t("account.email") };
  return narrow(
    "reset-title",
    t("reset.title"),
    sent
      ? html`<p class="notice" role="status">${t("reset.sent")}</p>`
      : html`<p>${t("reset.intro")}</p>${formAlert(page, form, labels)}<form method="post" action="/password-reset"
  novalidate>${page.csrfField()}${inputField({
    form,
    name: "email",
    label: labels.email,
    type: "email",
    autocomplete: "email",
    required: true,
  })}<button type="submit" class="button primary">${t("reset.submit")}</button></form>`,
  );
}

export function newPasswordView(page: PageContext, token: string, form: FormState, usable: boolean): PageView {
  const { t } = page;
  const labels = { password: t("me.password.new") };
  const action = `/password-reset/${encodeURIComponent(token)}`;
  return narrow(
    "new-password-title",
    t("reset.newTitle"),
    usable
      ? html`${formAlert(page, form, labels)}<form method="post" action="${action}" novalidate>${page.csrfField()}
${newPasswordField(page, form, labels.password)}
<button type="submit" class="button primary">${t("reset.newSubmit")}</button></form>`
      : html`<p class="notice warning" role="alert">${t("reset.invalid")}</p><p><a
  href="/password-reset">${t("reset.again")}</a></p>`,
  );
}

export function resetDoneView(page: PageContext): PageView {
  const { t } = page;
  return narrow(
    "reset-done-title",
    t("reset.newTitle"),
    html`<p class="notice" role="status">${t("reset.done")}</p><p><a class="button primary"
  href="/login">${t("nav.login")}</a></p>`,
  );
}

/** `taken`: another account has the new address; the link still works, so the button stays. */
export function verifyView(page: PageContext, token: string, state: "ask" | "taken" | "invalid" | "done"): PageView {
  const { t } = page;
  const form = html`<form method="post" action="/verify-email/${encodeURIComponent(token)}"
  >${page.csrfField()}<button type="submit" class="button primary">${t("verify.submit")}</button></form>`;
  const body =
    state === "ask"
      ? html`<p>${t("verify.intro")}</p>${form}`
      : state === "taken"
        ? html`<p class="notice warning" role="alert">${t("verify.taken")}</p>${form}`
        : state === "invalid"
          ? html`<p class="notice warning" role="alert">${t("verify.invalid")}</p>`
          : html`<p class="notice" role="status">${t("verify.done")}</p>`;
  return narrow("verify-title", t("verify.title"), body);
}
