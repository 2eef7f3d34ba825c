import { LIMITS } from "../core/config.ts";
import { LOCALE_NAMES, LOCALES } from "../i18n/i18n.ts";
import { html, type Html } from "../web/html.ts";
import { STAFF_AND_MODERATORS, type CommunityAccess } from "../access/access.ts";
import { badge } from "../web/components.ts";
import { isEmailVerified } from "./accounts.verification.ts";
import type { PageContext, PageView } from "../web/layout.ts";
import type { FormState } from "../web/forms.ts";
import { formAlert, inputField, selectField } from "../web/fields.ts";

/** Other ways to log in that the login and signup pages offer under their forms (single sign-on's buttons). */
export type LoginMethods = (page: PageContext, next: string) => Html | string;

let loginMethods: readonly LoginMethods[] = [];

/** Installed by the composition root, so accounts does not import the domains that offer them. */
export function installLoginMethods(list: readonly LoginMethods[]): void {
  loginMethods = list;
}

/** Keeps the "come back to" path across the login and signup pages. */
function nextQuery(next: string): string {
  return next === "/" ? "" : `?next=${encodeURIComponent(next)}`;
}

/** The "new password" field of signup, password reset and password change, with its rules as a hint. */
export function newPasswordField(page: PageContext, form: FormState, label: string): Html {
  return inputField({
    form,
    name: "password",
    label,
    type: "password",
    hint: page.t("account.passwordHint", { min: LIMITS.passwordMin }),
    autocomplete: "new-password",
    minlength: LIMITS.passwordMin,
    required: true,
  });
}

export function loginView(page: PageContext, form: FormState, next: string): PageView {
  const { t } = page;
  const labels = { email: t("account.email"), password: t("account.password") };
  return {
    title: t("login.title"),
    content: html`<section class="narrow card" aria-labelledby="login-title">
<h1 id="login-title">${t("login.title")}</h1>
${formAlert(page, form, labels)}
<form method="post" action="/login" novalidate>
${page.csrfField()}<input type="hidden" name="next" value="${next}">
${inputField({ form, name: "email", label: labels.email, type: "email", autocomplete: "username", required: true })}
${inputField({
  form,
  name: "password",
  label: labels.password,
  type: "password",
  autocomplete: "current-password",
  required: true,
})}
<button type="submit" class="button primary">${t("login.submit")}</button>
</form>
${loginMethods.map((methods) => methods(page, next))}
<p class="switch"><a href="/password-reset">${t("login.forgot")}</a></p>
<p class="switch">${t("login.noAccount")} <a href="/signup${nextQuery(next)}">${t("nav.signup")}</a></p>
</section>`,
  };
}

export function signupView(page: PageContext, form: FormState, next: string): PageView {
  const { t } = page;
  const labels = {
    name: t("account.name"),
    email: t("account.email"),
    password: t("account.password"),
    locale: t("account.locale"),
  };
  const values = { locale: page.locale, ...form.values };
  return {
    title: t("signup.title"),
    content: html`<section class="narrow card" aria-labelledby="signup-title">
<h1 id="signup-title">${t("signup.title")}</h1>
${formAlert(page, form, labels)}
<form method="post" action="/signup" novalidate>
${page.csrfField()}<input type="hidden" name="next" value="${next}">
${inputField({
  form,
  name: "name",
  label: labels.name,
  hint: t("account.nameHint"),
  autocomplete: "name",
  maxlength: LIMITS.nameMax,
  required: true,
})}
${inputField({ form, name: "email", label: labels.email, type: "email", autocomplete: "email", required: true })}
${newPasswordField(page, form, labels.password)}
${selectField({
  form: { ...form, values },
  name: "locale",
  label: labels.locale,
  options: LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] })),
})}
<button type="submit" class="button primary">${t("signup.submit")}</button>
</form>
${loginMethods.map((methods) => methods(page, next))}
<p class="switch">${t("signup.haveAccount")} <a href="/login${nextQuery(next)}">${t("nav.login")}</a></p>
</section>`,
  };
}

/** On a member's profile, for staff and moderators: whether the member confirmed their email address. */
export async function verificationPanel(
  page: PageContext,
  subject: { access: CommunityAccess; userId: number },
): Promise<Html | ""> {
  const role = subject.access.role;
  if (role === null || !STAFF_AND_MODERATORS.includes(role)) return "";
  const verified = await isEmailVerified(page.deps.db, subject.userId);
  return html`<p class="verification">${badge(
    page.t(verified ? "staff.verified" : "staff.unverified"),
    verified ? "success" : "warning",
  )}</p>`;
}
